import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { StatusError } from '../../errors/index.js';

/**
 * Image storage: what upstream uploads to its S3 bucket. A base64 data URL given as a profile image is decoded,
 * stored in the emulator's database under `{folder}/{uuid}.{format}` and replaced by its public URL, as
 * upstream's uploadAndGetUrl does; an http(s) URL is kept as it is. The objects are served by `storageApp`.
 */
export type ImageFolder =
  | 'user-profile-images'
  | 'team-profile-images'
  | 'team-member-profile-images'
  | 'project-logos';

/** Upstream's bucket name: the path every object URL starts with, on the storage server. */
export const STORAGE_BUCKET = 'stack-storage';
/** Upstream's limit on an uploaded image. */
const MAX_IMAGE_BYTES = 1_000_000;
const DATA_URL = /^data:image\/[a-zA-Z0-9.+-]+;base64,(.*)$/s;

/** The format by its leading bytes (what upstream reads with sharp), with its content type. */
function imageFormat(bytes: Buffer): { format: string; contentType: string } | null {
  const starts = (signature: number[], offset = 0) =>
    signature.every((byte, i) => bytes[offset + i] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47])) return { format: 'png', contentType: 'image/png' };
  if (starts([0xff, 0xd8, 0xff])) return { format: 'jpeg', contentType: 'image/jpeg' };
  if (starts([0x47, 0x49, 0x46, 0x38])) return { format: 'gif', contentType: 'image/gif' };
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8))
    return { format: 'webp', contentType: 'image/webp' };
  if (starts([0x42, 0x4d])) return { format: 'bmp', contentType: 'image/bmp' };
  return null;
}

/**
 * The URL to store for an image field: a data URL's image uploaded (`publicBase` is the storage server's URL, the
 * bucket included), anything else unchanged. An undecodable or oversized image is a 400.
 */
export async function storeImageField<T extends string | null | undefined>(
  db: Queryable,
  publicBase: string,
  folder: ImageFolder,
  value: T,
): Promise<T | string> {
  const match = typeof value === 'string' ? DATA_URL.exec(value) : null;
  if (!match) return value;
  const bytes = Buffer.from(match[1]!, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new StatusError(
      400,
      `Image size (${bytes.length} bytes) exceeds maximum allowed size (${MAX_IMAGE_BYTES} bytes)`,
    );
  const kind = imageFormat(bytes);
  if (!kind)
    throw new StatusError(400, 'Invalid image: the data is not a PNG, JPEG, GIF, WebP or BMP image.');
  const key = `${folder}/${randomUUID()}.${kind.format}`;
  await db.query(
    `INSERT INTO "_hexclave_storage_object" ("key", "contentType", "body") VALUES ($1, $2, $3)`,
    [key, kind.contentType, bytes],
  );
  return `${publicBase}/${key}`;
}

export async function readStoredObject(
  db: Queryable,
  key: string,
): Promise<{ contentType: string; body: Buffer } | null> {
  const { rows } = await db.query<{ contentType: string; body: Buffer }>(
    `SELECT "contentType", "body" FROM "_hexclave_storage_object" WHERE "key" = $1`,
    [key],
  );
  return rows[0] ?? null;
}
