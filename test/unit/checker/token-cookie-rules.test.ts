import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckContext,
  checkExchange,
  checkExchangeAsync,
  type Finding,
  type JsonWebKeySet,
} from '../../../shared/checker/index.js';
import { buildCookieName, issuerFor, requestHeaderName } from '../../../shared/registry/index.js';
import { API, exchange, PROJECT_ID } from '../../helpers/exchanges.js';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signingKey: Key;
let otherKey: Key;
let jwks: JsonWebKeySet;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] };
});

async function token(claims: Record<string, unknown> = {}, key: Key = signingKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ project_id: PROJECT_ID, is_anonymous: false, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer((claims.iss as string) ?? issuerFor(API, PROJECT_ID, 'normal'))
    .setAudience((claims.aud as string) ?? PROJECT_ID)
    .setSubject('0b9a8c7d-1e2f-4a5b-8c9d-0e1f2a3b4c5d')
    .setIssuedAt((claims.iat as number) ?? now)
    .setExpirationTime((claims.exp as number) ?? now + 600)
    .sign(key);
}

const signIn = (accessToken: string) =>
  exchange({
    method: 'POST',
    path: '/api/v1/auth/password/sign-in',
    responseBody: { access_token: accessToken, refresh_token: 'rt', user_id: 'u' },
  });

function ids(findings: Finding[]): string[] {
  return findings.filter((f) => f.severity !== 'info' && f.severity !== 'not-checked').map((f) => f.ruleId);
}

describe('access tokens', () => {
  it('accepts a token signed by the project key with the backend’s own issuer', async () => {
    const ctx: CheckContext = { projectId: PROJECT_ID, expectedMode: 'dual', jwks };
    expect(ids(await checkExchangeAsync(signIn(await token()), ctx))).toEqual([]);
    expect(
      ids(
        await checkExchangeAsync(
          signIn(await token({ iss: `https://api.hexclave.com/api/v1/projects/${PROJECT_ID}` })),
          ctx,
        ),
      ),
    ).toEqual([]);
  });

  it('accepts a signed token whose issuer names another origin, and says which origin as info', async () => {
    const ctx: CheckContext = { projectId: PROJECT_ID, expectedMode: 'dual', jwks };
    const viaTunnel = `https://tunnel.example/api/v1/projects-anonymous-users/${PROJECT_ID}`;
    const findings = await checkExchangeAsync(
      signIn(await token({ iss: viaTunnel, aud: `${PROJECT_ID}:anon`, is_anonymous: true })),
      ctx,
    );
    expect(ids(findings)).toEqual([]);
    const origin = findings.find((f) => f.ruleId === 'token.issuer-origin')!;
    expect(origin.severity).toBe('info');
    expect(origin.identifier?.id).toBe('jwt.issuer-anonymous');
    expect(origin.message).toContain('https://tunnel.example');
  });

  it('names the issuer entry for a wrong path or project and the key for a foreign signature', async () => {
    const ctx: CheckContext = { projectId: PROJECT_ID, expectedMode: 'dual', jwks };
    const wrongPath = await checkExchangeAsync(
      signIn(await token({ iss: `https://evil.example/api/v2/projects/${PROJECT_ID}` })),
      ctx,
    );
    expect(wrongPath.find((f) => f.ruleId === 'token.issuer')?.identifier?.id).toBe('jwt.issuer');
    const wrongProject = await checkExchangeAsync(
      signIn(await token({ iss: issuerFor(API, 'another-project', 'normal') })),
      ctx,
    );
    expect(wrongProject.find((f) => f.ruleId === 'token.issuer')?.message).toContain('"another-project"');
    const forged = await checkExchangeAsync(signIn(await token({}, otherKey)), ctx);
    expect(ids(forged)).toEqual(['token.signature']);
  });

  it('says "not checked", never "invalid", for a signature it cannot check', async () => {
    const valid = await token();
    const stripped = `${valid.split('.').slice(0, 2).join('.')}.signature-redacted`;
    const withJwks = await checkExchangeAsync(signIn(stripped), {
      projectId: PROJECT_ID,
      expectedMode: 'dual',
      jwks,
    });
    const signature = withJwks.filter((f) => f.ruleId === 'token.signature');
    expect(signature.map((f) => f.severity)).toEqual(['not-checked']);
    expect(signature[0]!.message).toMatch(/was not checked: The signature was removed/);
    const noJwks = await checkExchangeAsync(signIn(valid), { projectId: PROJECT_ID, expectedMode: 'dual' });
    expect(noJwks.filter((f) => f.ruleId === 'token.signature').map((f) => f.severity)).toEqual([
      'not-checked',
    ]);
    expect(ids(withJwks)).toEqual([]);
  });

  it('checks audience against issuer kind, lifetimes and clock skew', async () => {
    const ctx: CheckContext = { projectId: PROJECT_ID, expectedMode: 'dual' };
    const anonOnNormalIssuer = checkExchange(
      signIn(await token({ aud: `${PROJECT_ID}:anon`, is_anonymous: true })),
      ctx,
    );
    expect(ids(anonOnNormalIssuer)).toContain('token.audience');
    const now = Math.floor(Date.now() / 1000);
    expect(ids(checkExchange(signIn(await token({ iat: now + 120, exp: now + 600 })), ctx))).toEqual([
      'token.clock-skew',
    ]);
    expect(ids(checkExchange(signIn(await token({ iat: now, exp: now - 10 })), ctx))).toEqual([
      'token.lifetime',
    ]);
    const sentExpired = exchange({
      requestHeaders: {
        [requestHeaderName('header.access-token', 'hexclave')]: await token({
          iat: now - 900,
          exp: now - 300,
        }),
      },
    });
    expect(ids(checkExchange(sentExpired, ctx))).toEqual(['token.expired']);
  });

  it('flags a token for another project', async () => {
    const found = checkExchange(signIn(await token({ project_id: 'internal' })), {
      projectId: PROJECT_ID,
      expectedMode: 'dual',
    });
    expect(ids(found)).toEqual(['token.project']);
  });
});

describe('cookies', () => {
  const inner = (family: 'stack' | 'hexclave') =>
    buildCookieName({ kind: 'oauth-inner', family, state: 'st4te' });
  const authorize = (...setCookies: string[]) =>
    exchange({
      path: '/api/v1/auth/oauth/authorize/github',
      status: 307,
      responseHeaders: setCookies.map((c) => ['set-cookie', c] as const),
    });
  const attrs = 'Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax';
  const ctx: CheckContext = { projectId: PROJECT_ID, expectedMode: 'dual' };

  it('accepts equal twins and names a missing one', () => {
    expect(
      ids(
        checkExchange(
          authorize(`${inner('stack')}=true; ${attrs}`, `${inner('hexclave')}=true; ${attrs}`),
          ctx,
        ),
      ),
    ).toEqual([]);
    const [missing] = checkExchange(authorize(`${inner('stack')}=true; ${attrs}`), ctx);
    expect(missing).toMatchObject({
      ruleId: 'cookie.twin-missing',
      identifier: { id: 'cookie.oauth-inner' },
    });
  });

  it('flags different values and attributes between twins', () => {
    const found = checkExchange(
      authorize(
        `${inner('stack')}=true; ${attrs}`,
        `${inner('hexclave')}=false; Path=/api; Max-Age=60; HttpOnly; SameSite=Lax`,
      ),
      ctx,
    );
    expect(ids(found).sort()).toEqual(['cookie.twin-attributes-differ', 'cookie.twin-value-differs']);
    expect(found.find((f) => f.ruleId === 'cookie.twin-attributes-differ')!.actual).toMatch(
      /Secure.*Path.*Max-Age/,
    );
  });

  it('rejects an invalid __Host- cookie', () => {
    const name = buildCookieName({
      kind: 'refresh-default',
      family: 'hexclave',
      projectId: PROJECT_ID,
      secure: true,
    });
    const found = checkExchange(authorize(`${name}=x; Path=/; Domain=example.com`), ctx);
    expect(ids(found)).toEqual(['cookie.host-prefix-invalid']);
  });

  it('warns when the browser sends only hexclave session cookies or a hexclave Bearer to a server', () => {
    const refresh = buildCookieName({ kind: 'refresh-default', family: 'hexclave', projectId: PROJECT_ID });
    const found = checkExchange(
      exchange({
        path: '/api/me',
        requestHeaders: {
          cookie: `${refresh}=x`,
          authorization: `Bearer hexclave_${btoa('{"accessToken":null,"refreshToken":"r"}')}`,
        },
      }),
      ctx,
    );
    expect(ids(found).sort()).toEqual(['hazard.bearer-hexclave-prefix', 'hazard.server-cookies-new-only']);
  });
});
