import type { RenderedConfig } from './config/rendered.js';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };
const hostWithPort = (url: URL) => `${url.hostname}:${url.port || DEFAULT_PORTS[url.protocol] || ''}`;
const isDefaultPort = (url: URL) => !url.port || url.port === DEFAULT_PORTS[url.protocol];

function parse(value: string | URL): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** `*` is one DNS label, `**` any run of characters (upstream's hostname patterns). */
function matchesHostPattern(pattern: string, host: string): boolean {
  if (!pattern.includes('*')) return pattern === host;
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^.]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`).test(host);
}

function matchesTrustedDomain(url: URL, baseUrl: string): boolean {
  const base = baseUrl.includes('*') ? null : parse(baseUrl);
  if (base) return base.protocol === url.protocol && hostWithPort(base) === hostWithPort(url);
  const match = /^([^:]+:)\/\/([^/]*)/.exec(baseUrl);
  if (!match || match[1] !== url.protocol) return false;
  const hostPattern = match[2]!;
  return hostPattern.includes(':')
    ? matchesHostPattern(hostPattern, hostWithPort(url))
    : matchesHostPattern(hostPattern, url.hostname) && isDefaultPort(url);
}

export function isLocalhostUrl(url: URL): boolean {
  return (
    url.hostname === 'localhost' ||
    url.hostname.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(url.hostname)
  );
}

/**
 * Whether a project may send users to `value` (upstream's validateRedirectUrl): localhost when allowed, or an
 * origin matching one of its trusted domains, wildcards included.
 */
export function isTrustedRedirectUrl(value: string | URL, config: RenderedConfig): boolean {
  const url = parse(value);
  if (!url) return false;
  if (config.domains.allowLocalhost && isLocalhostUrl(url)) return true;
  return Object.values(config.domains.trustedDomains).some(
    (domain) => domain.baseUrl !== undefined && matchesTrustedDomain(url, domain.baseUrl),
  );
}
