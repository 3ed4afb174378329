import { OVERLAY_LIMITS } from '../../shared/overlay-protocol.js';

const API_PATH = '/api/v1/';

/** Backend calls: any URL with an `/api/v1/` path, or under one of the configured API URLs. */
export function backendMatcher(
  apiUrls: readonly string[],
  base: () => string,
): (url: string) => string | null {
  const prefixes = apiUrls.map((u) => u.replace(/\/+$/, ''));
  return (url) => {
    if (url.includes(API_PATH)) return absolute(url, base);
    if (prefixes.length === 0) return null;
    const full = absolute(url, base);
    return full && prefixes.some((p) => full.startsWith(p)) ? full : null;
  };
}

function absolute(url: string, base: () => string): string | null {
  try {
    return new URL(url, base()).href;
  } catch {
    return null;
  }
}

/** Bodies worth reading: text-like, not streamed, not huge. */
export function readableContentType(contentType: string | null): boolean {
  if (!contentType) return true;
  if (contentType.includes('text/event-stream')) return false;
  return /json|text|x-www-form-urlencoded|javascript|xml/i.test(contentType);
}

export function clip(text: string): string {
  const max = OVERLAY_LIMITS.maxBodyChars;
  return text.length > max ? `${text.slice(0, max)}…[${text.length - max} more chars not captured]` : text;
}

let counter = 0;

/** Unique per page load: the companion maps it to its own sequence number. */
export function exchangeId(): string {
  counter += 1;
  return `ov-${Date.now().toString(36)}-${counter}`;
}
