import { describe, expect, it } from 'vitest';
import {
  adminConfigJson,
  applyOverride,
  invalidOverrideReason,
  isTrustedRedirectUrl,
  legacyConfigOverride,
  renderConfig,
} from '../../../main/emulator/domain/projects/index.js';

describe('config overrides (upstream’s format)', () => {
  it('a key of the patch replaces that key and its dotted descendants, and nothing else', () => {
    const base = {
      'auth.otp.allowSignIn': true,
      auth: { allowSignUp: false },
      'teams.allowClientTeamCreation': true,
    };
    expect(applyOverride(base, { auth: { password: { allowSignIn: true } } })).toEqual({
      'teams.allowClientTeamCreation': true,
      auth: { password: { allowSignIn: true } },
    });
    expect(applyOverride(base, { 'auth.otp': null })).toEqual({
      auth: { allowSignUp: false },
      'teams.allowClientTeamCreation': true,
      'auth.otp': null,
    });
  });

  it('renders levels in order over the schema defaults; null falls back to the default', () => {
    const project = { 'project.requirePublishableClientKey': true };
    const branch = { auth: { allowSignUp: false, otp: { allowSignIn: true } } };
    const environment = { 'auth.allowSignUp': null, 'teams.createPersonalTeamOnSignUp': true };
    const config = renderConfig([project, branch, environment]);
    expect(config.project.requirePublishableClientKey).toBe(true);
    expect(config.auth.allowSignUp).toBe(true); // reset to the default by the environment's null
    expect(config.auth.otp.allowSignIn).toBe(true);
    expect(config.auth.password.allowSignIn).toBe(false);
    expect(config.teams.createPersonalTeamOnSignUp).toBe(true);
    expect(config.raw).toMatchObject({
      auth: { otp: { allowSignIn: true } },
      teams: { createPersonalTeamOnSignUp: true },
    });
  });

  it('refuses what is not an override, naming the key', () => {
    expect(invalidOverrideReason([])).toBe('config must be a JSON object');
    expect(invalidOverrideReason({ 'bad key': 1 })).toBe('config has an invalid key "bad key"');
    expect(invalidOverrideReason({ a: [1, null] })).toBe('config.a[1] is null; list items cannot be null');
    expect(invalidOverrideReason({ 'auth.allowSignUp': false })).toBeNull();
  });

  it('turns the legacy projects-CRUD config into an environment override and reads it back the same', () => {
    const override = legacyConfigOverride(
      {
        sign_up_enabled: false,
        magic_link_enabled: true,
        domains: [{ domain: 'https://app.example.com', handler_path: '/handler' }],
        oauth_providers: [{ id: 'google', type: 'shared' }],
        email_config: { type: 'shared' },
      },
      true,
    );
    const config = adminConfigJson(renderConfig([override]));
    expect(config).toMatchObject({
      sign_up_enabled: false,
      magic_link_enabled: true,
      credential_enabled: true, // a new project's default
      domains: [{ domain: 'https://app.example.com', handler_path: '/handler' }],
      oauth_providers: [{ id: 'google', provider_config_id: 'google', type: 'shared' }],
      enabled_oauth_providers: [{ id: 'google' }],
      email_config: { type: 'shared' },
      team_creator_default_permissions: [{ id: 'team_admin' }],
      team_member_default_permissions: [{ id: 'team_member' }],
    });
  });
});

describe('trusted redirect URLs', () => {
  const config = (domains: string[], allowLocalhost = false) =>
    renderConfig([
      legacyConfigOverride(
        {
          allow_localhost: allowLocalhost,
          domains: domains.map((domain) => ({ domain, handler_path: '/handler' })),
        },
        false,
      ),
    ]);

  it('trusts localhost only when allowed', () => {
    expect(isTrustedRedirectUrl('http://localhost:3000/cb', config([], true))).toBe(true);
    expect(isTrustedRedirectUrl('http://127.0.0.1/cb', config([], true))).toBe(true);
    expect(isTrustedRedirectUrl('http://localhost:3000/cb', config([]))).toBe(false);
  });

  it('matches a trusted domain by protocol, host and port (default ports filled in)', () => {
    const trusted = config(['https://app.example.com']);
    expect(isTrustedRedirectUrl('https://app.example.com/any/path?x=1', trusted)).toBe(true);
    expect(isTrustedRedirectUrl('https://app.example.com:443/cb', trusted)).toBe(true);
    expect(isTrustedRedirectUrl('http://app.example.com/cb', trusted)).toBe(false);
    expect(isTrustedRedirectUrl('https://app.example.com:8443/cb', trusted)).toBe(false);
    expect(isTrustedRedirectUrl('https://evil.example.com/cb', trusted)).toBe(false);
    expect(isTrustedRedirectUrl('not a url', trusted)).toBe(false);
  });

  it('reads * as one label and ** as anything, with or without a port pattern', () => {
    const wildcard = config(['https://*.example.com', 'http://**:**']);
    expect(isTrustedRedirectUrl('https://a.example.com/cb', wildcard)).toBe(true);
    expect(isTrustedRedirectUrl('https://a.b.example.com/cb', wildcard)).toBe(false);
    expect(isTrustedRedirectUrl('https://a.example.com:8443/cb', wildcard)).toBe(false);
    expect(isTrustedRedirectUrl('http://tunnel.dev.internal:8080/cb', wildcard)).toBe(true);
  });
});
