import { describe, expect, it } from 'vitest';
import { cookiePairs, parseDocumentCookie } from '../../../overlay/analysis/cookie-pairs.js';
import type { JarCookie } from '../../../shared/checker/types.js';
import { buildCookieName, type Family } from '../../../shared/registry/index.js';

const PROJECT = '3f0c8d8e-5a4b-4f43-9d6e-0a1b2c3d4e5f';
// What js-cookie stores: URL-encoded, with the characters it allows put back.
const jsCookie = (value: string) =>
  encodeURIComponent(value).replace(/%(2[346BF]|3[AC-F]|40|5[BDE]|60|7[BCD])/g, decodeURIComponent);

function refresh(family: Family, token: string, updatedAt = 1_700_000_000_000): JarCookie {
  return {
    name: buildCookieName({ kind: 'refresh-default', family, projectId: PROJECT }),
    value: jsCookie(JSON.stringify({ refresh_token: token, updated_at_millis: updatedAt })),
  };
}

function access(family: Family, refreshToken: string, accessToken = 'not-a-jwt'): JarCookie {
  return {
    name: buildCookieName({ kind: 'access', family }),
    value: jsCookie(JSON.stringify([refreshToken, accessToken])),
  };
}

describe('cookie pairs', () => {
  it('pairs stack and hexclave twins and flags twins that hold different sessions', () => {
    const pairs = cookiePairs([refresh('stack', 'rt-session-A'), refresh('hexclave', 'rt-session-B')]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ kind: 'refresh-default', status: 'mismatch' });
    expect(pairs[0]!.stack!.name).toBe(`stack-refresh-${PROJECT}--default`);
    expect(pairs[0]!.hexclave!.name).toBe(`hexclave-refresh-${PROJECT}--default`);
    expect(pairs[0]!.detail).toContain('two different sessions');
    expect(pairs[0]!.detail).toContain('…sion-A');
  });

  it('decodes js-cookie values before comparing, so equal sessions match however they were encoded', () => {
    const stack = refresh('stack', 'rt-same', 1);
    const hexclave = { ...refresh('hexclave', 'rt-same', 2) };
    const plainEncoded = { ...hexclave, value: encodeURIComponent(decodeURIComponent(hexclave.value)) };
    expect(cookiePairs([stack, plainEncoded])[0]!.status).toBe('match');
  });

  it('compares access cookies by session, and calls stack-access stale once 2.8.108 refreshed only its own', () => {
    const pairs = cookiePairs([
      access('stack', 'rt-1', 'old-token'),
      access('hexclave', 'rt-1', 'new-token'),
    ]);
    // Same session, but 2.8.108 never updates stack-access: it is stale, not a match.
    expect(pairs[0]).toMatchObject({ kind: 'access', status: 'stale' });
    expect(pairs[0]!.detail).toContain('stack-access is stale');
    expect(
      cookiePairs([access('stack', 'rt-1', 'same'), access('hexclave', 'rt-1', 'same')])[0]!.status,
    ).toBe('match');
    expect(cookiePairs([access('stack', 'rt-1'), access('hexclave', 'rt-2')])[0]!.status).toBe('mismatch');
  });

  it('names the missing twin of a one-sided cookie and lists mismatches first', () => {
    const pairs = cookiePairs([
      access('hexclave', 'rt-1'),
      refresh('stack', 'rt-A'),
      refresh('hexclave', 'rt-B'),
    ]);
    expect(pairs.map((p) => p.status)).toEqual(['mismatch', 'hexclave-only']);
    expect(pairs[1]!.missingTwin).toBe('stack-access');
  });

  it('ignores cookies the registry does not know and reads document.cookie', () => {
    const jar = parseDocumentCookie(
      `theme=dark; ${access('stack', 'rt').name}=${access('stack', 'rt').value}`,
    );
    expect(jar.map((c) => c.name)).toEqual(['theme', 'stack-access']);
    expect(cookiePairs(jar).map((p) => p.kind)).toEqual(['access']);
  });
});
