/**
 * Pages whose reports the companion takes: dev servers on this machine only — http(s)://localhost:*,
 * http(s)://127.0.0.1:*, http(s)://[::1]:* and http(s)://*.localhost(:*). Everything else, `null` included, is refused.
 */
export function isLoopbackPageOrigin(origin: string | undefined): boolean {
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin !== origin.toLowerCase().replace(/\/$/, '')) return false;
  const host = url.hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');
}
