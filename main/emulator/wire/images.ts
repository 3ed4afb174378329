import type { Context } from 'hono';
import type { Queryable } from '../db/index.js';
import { type ImageFolder, storeImageField } from '../domain/storage/index.js';
import type { EmulatorEnv } from './env.js';

/** An image field as it is stored: a base64 data URL uploaded to this emulator's storage (upstream's S3). */
export function storedImage<T extends string | null | undefined>(
  c: Context<EmulatorEnv>,
  db: Queryable,
  folder: ImageFolder,
  value: T,
): Promise<T | string> {
  return storeImageField(db, c.var.ctx.storageUrl, folder, value);
}
