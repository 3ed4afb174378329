import { createHash, randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Svix's id shape: a prefix and 27 base62 characters (`msg_…`, `ep_…`, `atmpt_…`), so tools that match it work. */
export function svixId(prefix: 'msg' | 'ep' | 'atmpt'): string {
  let id = '';
  for (let i = 0; i < 27; i++) id += BASE62[randomInt(62)];
  return `${prefix}_${id}`;
}

/** An endpoint's signing secret as Svix writes it: `whsec_` and 24 random bytes in base64. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** A bearer token for the Svix-compatible API; only its hash is stored. */
export function newApiToken(): { token: string; hash: string } {
  const token = `hexwh_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token) };
}

export const hashApiToken = (token: string) => createHash('sha256').update(token).digest('hex');
