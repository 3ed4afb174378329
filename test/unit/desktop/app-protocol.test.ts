import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APP_CONTENT_SECURITY_POLICY,
  APP_ENTRY_URL,
  companionUrlMatcher,
  rendererResponse,
} from '../../../main/electron/app-protocol.js';

describe('the companion UI’s own scheme', () => {
  it('recognises its UI by origin: the app scheme, or exactly the dev server’s origin', () => {
    const plain = companionUrlMatcher(undefined);
    expect(plain(`${APP_ENTRY_URL}#traffic/3`)).toBe(true);
    expect(plain('hexclave-companion://other/index.html')).toBe(false);
    expect(plain('file:///app/out/renderer/index.html')).toBe(false);

    const dev = companionUrlMatcher('http://localhost:5173');
    expect(dev('http://localhost:5173/#sync')).toBe(true);
    // A string prefix would let each of these through.
    for (const lookalike of [
      'http://localhost:5173.evil.tld/',
      'http://localhost:51730/',
      'http://localhost:5173@evil.tld/',
      'http://localhost:5173.evil.tld',
    ])
      expect(dev(lookalike), lookalike).toBe(false);
    expect(companionUrlMatcher('not a url')('not a url')).toBe(false);
  });

  const dir = mkdtempSync(join(tmpdir(), 'renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {}');
  const beside = join(dir, '..', `${dir.split('/').pop()}-secret.txt`);
  writeFileSync(beside, 'secret');
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(beside, { force: true });
  });

  it('serves the built files with their type and the CSP, and nothing outside the folder', async () => {
    const page = await rendererResponse('hexclave-companion://app/', dir);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const script = await rendererResponse('hexclave-companion://app/assets/app.js?v=1', dir);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const url of [
      `hexclave-companion://app/..%2f${dir.split('/').pop()}-secret.txt`,
      'hexclave-companion://app/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'hexclave-companion://elsewhere/index.html',
      'hexclave-companion://app/missing.js',
      'hexclave-companion://app/%E0%A4%A',
    ])
      expect((await rendererResponse(url, dir)).status, url).toBe(404);
  });
});
