import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium, NO_CHROMIUM_REASON } from '../helpers/browser.js';
import { apiFetch, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn(NO_CHROMIUM_REASON);

/** What a developer's app does on its OAuth callback page: here it only shows the query it got. */
async function startApp(): Promise<{ server: Server; callbackUrl: string }> {
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(`<p id="query">${new URL(request.url ?? '/', 'http://app').search}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, callbackUrl: `http://127.0.0.1:${port}/handler/oauth-callback` };
}

describe.skipIf(!chromiumPath)('OAuth sign-in through the emulator’s identity provider, in Chromium', () => {
  let browser: Browser;
  let app: { server: Server; callbackUrl: string };
  const emulators: TestEmulator[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startApp();
    // At /mock-oauth on the API's own origin (the default), and on a port of its own (another origin).
    emulators.push(await startTestEmulator({ label: 'oauth_browser_mounted' }));
    emulators.push(await startTestEmulator({ label: 'oauth_browser_own_port', mockOAuthPort: 0 }));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.server.close(resolve));
    for (const emulator of emulators) await emulator.stop();
  });

  it.each([
    ['at /mock-oauth on the API’s origin', 0],
    ['on a port of its own', 1],
  ] as const)(
    'signs a person in on the provider’s page (%s) and lands on the app with a code',
    async (_where, index) => {
      const emulator = emulators[index]!;
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(`${emulator.apiUrl}/api/v1/auth/oauth/authorize/google`);
      for (const [key, value] of Object.entries({
        client_id: emulator.projectId,
        client_secret: emulator.publishableClientKey,
        redirect_uri: app.callbackUrl,
        scope: 'legacy',
        state: 'app-state',
        grant_type: 'authorization_code',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        response_type: 'code',
        type: 'authenticate',
      }))
        authorize.searchParams.set(key, value);

      const page = await browser.newPage();
      await page.goto(authorize.toString());
      expect(page.url().startsWith(`${emulator.mockOAuthUrl}/interaction/`)).toBe(true);
      await page.getByLabel('E-mail').fill(`browser-${index}@example.com`);
      await page.getByLabel('Name (optional)').fill('Grace');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.href.startsWith(app.callbackUrl));
      const query = new URL(page.url()).searchParams;
      expect(query.get('state')).toBe('app-state');

      const tokens = await (
        await fetch(`${emulator.apiUrl}/api/v1/auth/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: query.get('code')!,
            code_verifier: verifier,
            redirect_uri: app.callbackUrl,
            client_id: emulator.projectId,
            client_secret: emulator.publishableClientKey,
          }),
        })
      ).json();
      const me = await (await apiFetch(emulator, '/users/me', { accessToken: tokens.access_token })).json();
      expect(me).toMatchObject({ primary_email: `browser-${index}@example.com`, display_name: 'Grace' });
      await page.close();
    },
  );
});
