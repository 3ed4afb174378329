import http from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { HeaderPairs } from '../../shared/checker/index.js';

/** Bytes of a body kept for analysis; the wire copy is never cut. */
export class BodyTap {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    if (this.size >= this.limit) {
      this.truncated = true;
      return;
    }
    const room = this.limit - this.size;
    this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.truncated ||= chunk.length > room;
    this.size += Math.min(chunk.length, room);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Node's rawHeaders (flat name, value, name, value…) as pairs, case and order kept. */
export function pairsFromRaw(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

export function rawFromPairs(pairs: HeaderPairs): string[] {
  return pairs.flat();
}

const TEXTUAL =
  /^(text\/|application\/(json|x-www-form-urlencoded|javascript|xml|problem\+json)|[^;]*\+json)/i;

/** The analysis copy of a body as text: decompressed, and only for textual content types. */
export function bodyText(tap: BodyTap, headers: HeaderPairs): string | null {
  const bytes = tap.bytes();
  if (bytes.length === 0) return null;
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? '';
  const type = header('content-type');
  if (type && !TEXTUAL.test(type.trim())) return null;
  const encoding = header('content-encoding').trim().toLowerCase();
  try {
    const decoded =
      encoding === 'gzip'
        ? gunzipSync(bytes)
        : encoding === 'br'
          ? brotliDecompressSync(bytes)
          : encoding === 'deflate'
            ? inflateSync(bytes)
            : bytes;
    return `${decoded.toString('utf8')}${tap.truncated ? '\n…(truncated by the capture proxy)' : ''}`;
  } catch {
    return null;
  }
}

export interface UpstreamTarget {
  readonly url: URL;
  readonly agent: http.Agent;
}

export function upstreamTarget(target: string): UpstreamTarget {
  const url = new URL(target);
  const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
  return { url, agent: new Agent({ keepAlive: true }) };
}

/**
 * Open the upstream request with the client's headers unchanged except Host, which names the target as a direct
 * call would (a reverse proxy must not add X-Forwarded-* or anything else).
 */
export function openUpstream(
  target: UpstreamTarget,
  incoming: http.IncomingMessage,
  onResponse: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  const headers = pairsFromRaw(incoming.rawHeaders).map(([name, value]): [string, string] =>
    name.toLowerCase() === 'host' ? [name, target.url.host] : [name, value],
  );
  const basePath = target.url.pathname.replace(/\/$/, '');
  const request = (target.url.protocol === 'https:' ? https : http).request(
    {
      protocol: target.url.protocol,
      hostname: target.url.hostname,
      port: target.url.port || undefined,
      method: incoming.method,
      path: `${basePath}${incoming.url ?? '/'}`,
      headers: rawFromPairs(headers),
      agent: target.agent,
      setHost: false,
    },
    onResponse,
  );
  return request;
}
