import { describe, expect, it } from 'vitest';
import {
  appPartition,
  backendUrlMatcher,
  navigationAllowed,
  pageVisibleExchange,
} from '../../../main/electron/app-window-policy.js';

describe('wrapped app window policy', () => {
  it('gives every project its own persistent session partition', () => {
    expect(appPartition('My Shop')).toBe('persist:app-my-shop');
    expect(appPartition('a/b')).not.toBe(appPartition('a-c'));
    expect(() => appPartition('///')).toThrow(/partition/);
  });

  it("keeps navigation on the app's origin and the origins the caller allows", () => {
    const app = 'http://localhost:3000/dashboard';
    expect(navigationAllowed('http://localhost:3000/handler/sign-in', app)).toBe(true);
    expect(navigationAllowed('http://localhost:3001/', app)).toBe(false);
    expect(navigationAllowed('https://evil.example/', app)).toBe(false);
    expect(navigationAllowed('javascript:alert(1)', app)).toBe(false);
    expect(
      navigationAllowed('http://localhost:8102/api/v1/auth/oauth/authorize/x', app, [
        'http://localhost:8102',
      ]),
    ).toBe(true);
  });

  it('recognises backend calls by /api/v1/ or a configured API URL', () => {
    const isBackend = backendUrlMatcher(['https://auth.example.com/stack/']);
    expect(isBackend('http://localhost:8102/api/v1/users/me')).toBe(true);
    expect(isBackend('https://auth.example.com/stack/health')).toBe(true);
    expect(isBackend('http://localhost:3000/api/products')).toBe(false);
  });

  it('never hands the page the Cookie and Set-Cookie values the browser kept from it', () => {
    const visible = pageVisibleExchange({
      id: 'x',
      startedAt: 0,
      durationMs: 0,
      request: {
        method: 'GET',
        url: 'u',
        headers: [
          ['Cookie', 'session=secret'],
          ['accept', '*/*'],
        ],
      },
      response: {
        status: 200,
        headers: [
          ['set-cookie', 'inner=httponly-secret; HttpOnly'],
          ['content-type', 'x'],
        ],
      },
      blockedCookies: [{ direction: 'response', name: 'b', reasons: ['SecureOnly'], line: 'b=secret' }],
      cookieHeader: 'session=secret',
    });
    expect(JSON.stringify(visible)).not.toContain('secret');
    expect(visible.request.headers).toEqual([['accept', '*/*']]);
    expect(visible.blockedCookies).toEqual([{ direction: 'response', name: 'b', reasons: ['SecureOnly'] }]);
  });
});
