import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { EmulatorContext } from '../context.js';
import { encodeMockCode, mockIdentity, readOuterInfo } from '../domain/oauth/index.js';
import { innerCookieNames, setInnerCookies } from '../wire/oauth-cookies.js';

const PREFIX = '/mock-oauth';

/** Where the authorize endpoint sends the user: the built-in provider's consent page for this flow. */
export function mockAuthorizeUrl(apiUrl: string, provider: string, innerState: string): string {
  const url = new URL(`${PREFIX}/${encodeURIComponent(provider)}/authorize`, apiUrl);
  url.searchParams.set('state', innerState);
  return url.toString();
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

function consentPage(provider: string, state: string, email: string, name: string): string {
  const action = `${PREFIX}/${encodeURIComponent(provider)}/approve`;
  const deny = `${action}?state=${encodeURIComponent(state)}&deny=1`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mock ${escapeHtml(provider)} sign-in</title>
<style>body{font:15px system-ui;max-width:26rem;margin:4rem auto}label{display:block;margin:.8rem 0}input{width:100%;padding:.4rem}</style>
</head><body>
<h1>Sign in with mock ${escapeHtml(provider)}</h1>
<p>Hexclave Companion's emulator stands in for the identity provider. Approve to continue as:</p>
<form method="get" action="${action}">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label>E-mail <input name="email" type="email" required value="${escapeHtml(email)}"></label>
<label>Name <input name="name" value="${escapeHtml(name)}"></label>
<button type="submit" id="approve">Approve</button> <a id="deny" href="${deny}">Deny</a>
</form></body></html>`;
}

/**
 * The built-in identity provider: a consent page, and an approve endpoint that is a plain GET (so a browser and
 * a test can both finish the flow) redirecting to the emulator's own OAuth callback with a code.
 */
export function mockIdpRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  app.get(`${PREFIX}/:provider/authorize`, async (c) => {
    const state = c.req.query('state') ?? '';
    const stored = await readOuterInfo(ctx.pool, state);
    if (!stored || stored.expired)
      return c.text('This sign-in attempt is unknown or has expired. Start again from your app.', 400);
    // In json response mode the SDK navigates here itself, so the flow's CSRF cookie (same origin as the
    // callback) is set on this page instead of on the authorize response.
    const hasCookie = innerCookieNames(state, ctx.compat).some((name) => getCookie(c, name) === 'true');
    if (stored.info.responseMode === 'json' && !hasCookie) setInnerCookies(c, state, ctx.compat);
    const email = c.req.query('email') ?? 'mock-user@example.com';
    return c.html(consentPage(c.req.param('provider'), state, email, c.req.query('name') ?? 'Mock User'));
  });
  app.get(`${PREFIX}/:provider/approve`, (c) => {
    const provider = c.req.param('provider');
    const callback = new URL(`/api/v1/auth/oauth/callback/${encodeURIComponent(provider)}`, ctx.apiUrl);
    callback.searchParams.set('state', c.req.query('state') ?? '');
    if (c.req.query('deny')) {
      callback.searchParams.set('error', 'access_denied');
    } else {
      const email = c.req.query('email') ?? 'mock-user@example.com';
      callback.searchParams.set(
        'code',
        encodeMockCode(mockIdentity(provider, email, c.req.query('name') || null)),
      );
    }
    return c.redirect(callback.toString(), 302);
  });
  return app;
}
