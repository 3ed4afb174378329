import { Hono } from 'hono';
import type pg from 'pg';
import { readStoredObject, STORAGE_BUCKET } from '../domain/storage/index.js';

/**
 * The public bucket of upstream's local S3 (`/stack-storage/{key}`), read-only: the images the API stored. Served
 * on `--storage-port` (upstream's `<prefix>21`) or beside the API.
 */
export function createStorageApp(pool: pg.Pool): Hono {
  const app = new Hono();
  app.get(`/${STORAGE_BUCKET}/*`, async (c) => {
    const key = decodeURIComponent(c.req.path.slice(STORAGE_BUCKET.length + 2));
    const object = await readStoredObject(pool, key);
    if (!object) return c.text('NoSuchKey', 404);
    return c.body(new Uint8Array(object.body), 200, {
      'content-type': object.contentType,
      'cache-control': 'public, max-age=31536000, immutable',
      'access-control-allow-origin': '*',
    });
  });
  return app;
}
