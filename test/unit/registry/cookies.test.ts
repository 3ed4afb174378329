import { StackClientApp as NewSdkClientApp } from 'stack-sdk-new';
import { StackClientApp as OldSdkClientApp } from 'stack-sdk-old';
import { describe, expect, it } from 'vitest';
import { buildCookieName, cookieTwinName, parseCookieName } from '../../../shared/registry/index.js';

const PROJECT = '3f0c7a1e-5b7e-4c1e-9a7d-2d9f4b0b6a11';

/** The published SDKs' own cookie-name getters: where we and the SDK disagree, the SDK is right. */
interface SdkCookieNames {
  _accessTokenCookieName: string;
  _getRefreshTokenDefaultCookieNameForSecure(secure: boolean): string;
  _getCustomRefreshCookieName(domain: string): string;
}

function sdkApp(Sdk: typeof NewSdkClientApp): SdkCookieNames {
  return new Sdk({
    projectId: PROJECT,
    publishableClientKey: 'pck_test',
    tokenStore: 'memory',
    baseUrl: 'http://127.0.0.1:9',
  }) as unknown as SdkCookieNames;
}

describe('cookie names', () => {
  it.each([
    ['hexclave', NewSdkClientApp],
    ['stack', OldSdkClientApp as unknown as typeof NewSdkClientApp],
  ] as const)('build exactly the names the %s-family SDK writes', (family, Sdk) => {
    const app = sdkApp(Sdk);
    expect(buildCookieName({ kind: 'access', family })).toBe(app._accessTokenCookieName);
    for (const secure of [false, true]) {
      expect(buildCookieName({ kind: 'refresh-default', family, projectId: PROJECT, secure })).toBe(
        app._getRefreshTokenDefaultCookieNameForSecure(secure),
      );
    }
    expect(
      buildCookieName({ kind: 'refresh-custom', family, projectId: PROJECT, domain: 'Example.COM' }),
    ).toBe(app._getCustomRefreshCookieName('Example.COM'));
  });

  it('parses kind, family, project, secure prefix and decodes the custom domain', () => {
    expect(parseCookieName(`__Host-hexclave-refresh-${PROJECT}--default`)).toMatchObject({
      kind: 'refresh-default',
      family: 'hexclave',
      projectId: PROJECT,
      securePrefix: true,
    });
    expect(parseCookieName(`stack-refresh-${PROJECT}--custom-CNW62VBGDHJJWRVFDM`)).toMatchObject({
      kind: 'refresh-custom',
      family: 'stack',
      customDomain: 'example.com',
    });
    expect(parseCookieName(`stack-refresh-${PROJECT}`)).toMatchObject({ kind: 'refresh-legacy-project' });
    expect(parseCookieName('stack-refresh')).toMatchObject({ kind: 'refresh-legacy', family: 'stack' });
    expect(parseCookieName('hexclave-oauth-inner-abc')).toMatchObject({ kind: 'oauth-inner', state: 'abc' });
    expect(parseCookieName('session')).toBeNull();
  });

  it('finds the twin of a cookie in the other family, and none for frozen cookies', () => {
    expect(cookieTwinName(`__Host-stack-refresh-${PROJECT}--default`)).toBe(
      `__Host-hexclave-refresh-${PROJECT}--default`,
    );
    expect(cookieTwinName('hexclave-access')).toBe('stack-access');
    expect(cookieTwinName('stack-refresh')).toBeNull();
  });

  it('refuses to build a name without its parameters or for a family the kind lacks', () => {
    expect(() => buildCookieName({ kind: 'refresh-default', family: 'stack' })).toThrow(/\{projectId\}/);
    expect(() => buildCookieName({ kind: 'refresh-legacy', family: 'hexclave' })).toThrow(/no hexclave twin/);
    expect(() => buildCookieName({ kind: 'nope', family: 'stack' })).toThrow(/Unknown cookie kind "nope"/);
  });
});
