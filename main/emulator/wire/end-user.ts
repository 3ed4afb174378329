import { isIP } from 'node:net';
import type { Context } from 'hono';
import type { EmulatorEnv } from './env.js';

/** Where a client's address can come from; the first one present is the client's (upstream's order). */
const IP_HEADERS = ['x-real-ip', 'x-forwarded-for', 'x-vercel-forwarded-for', 'cf-connecting-ip'] as const;
const COUNTRY_HEADERS = ['x-vercel-ip-country', 'cf-ipcountry'] as const;

/**
 * The country a sign-up came from, as upstream records it on the user (`country_code`): the geo header of a
 * Vercel or Cloudflare edge in front of the backend. The emulator trusts no proxy, like upstream with none
 * configured, so the headers are taken as the client sent them; without a client address they are ignored.
 */
export function signUpCountryCode(c: Context<EmulatorEnv>): string | null {
  const ip = IP_HEADERS.map((name) => c.req.header(name)).find((value) => value !== undefined);
  if (!ip || !isIP(ip.split(',')[0]!.trim())) return null;
  const country = COUNTRY_HEADERS.map((name) => c.req.header(name)).find((value) => value);
  const normalized = country?.trim().toUpperCase();
  return normalized && /^[A-Z]{2}$/.test(normalized) ? normalized : null;
}
