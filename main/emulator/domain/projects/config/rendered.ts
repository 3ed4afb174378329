import { applyOverride, type ConfigOverride, type NormalizedConfig, normalizeOverride } from './override.js';

/** The default e-mail theme id (any stable UUID: clients only echo it back). */
export const DEFAULT_EMAIL_THEME_ID = '1df07ae6-abf3-4a40-83a5-a1a2cbe336ac';

export interface OAuthProviderConfig {
  readonly type: string | undefined;
  readonly isShared: boolean;
  readonly allowSignIn: boolean;
  readonly allowConnectedAccounts: boolean;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly facebookConfigId: string | undefined;
  readonly microsoftTenantId: string | undefined;
}

export interface TrustedDomainConfig {
  readonly baseUrl: string | undefined;
  readonly handlerPath: string;
}

export interface PermissionConfig {
  readonly description: string | undefined;
  readonly scope: 'team' | 'project' | undefined;
  readonly containedPermissionIds: Readonly<Record<string, boolean>>;
}

export interface EmailServerConfig {
  readonly isShared: boolean;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly senderName: string | undefined;
  readonly senderEmail: string | undefined;
}

/**
 * A tenancy's rendered configuration: its override levels applied over the schema defaults (upstream's
 * `organizationConfigDefaults`, which say what an unset key means — not what a new project gets). Only the
 * settings the emulator acts on are typed; `raw` keeps everything else that was set, for `GET /internal/config`.
 */
export interface RenderedConfig {
  readonly project: { readonly requirePublishableClientKey: boolean };
  readonly auth: {
    readonly allowSignUp: boolean;
    readonly password: { readonly allowSignIn: boolean };
    readonly otp: { readonly allowSignIn: boolean };
    readonly passkey: { readonly allowSignIn: boolean };
    readonly oauth: {
      readonly accountMergeStrategy: 'link_method' | 'raise_error' | 'allow_duplicates';
      readonly providers: Readonly<Record<string, OAuthProviderConfig>>;
    };
  };
  readonly teams: { readonly createPersonalTeamOnSignUp: boolean; readonly allowClientTeamCreation: boolean };
  readonly users: { readonly allowClientUserDeletion: boolean };
  readonly onboarding: { readonly requireEmailVerification: boolean };
  readonly domains: {
    readonly allowLocalhost: boolean;
    readonly trustedDomains: Readonly<Record<string, TrustedDomainConfig>>;
  };
  readonly apiKeys: { readonly enabled: { readonly team: boolean; readonly user: boolean } };
  readonly apps: { readonly installed: Readonly<Record<string, { readonly enabled: boolean }>> };
  readonly emails: { readonly server: EmailServerConfig; readonly selectedThemeId: string };
  readonly rbac: {
    readonly permissions: Readonly<Record<string, PermissionConfig>>;
    readonly defaultPermissions: {
      readonly teamCreator: Readonly<Record<string, boolean>>;
      readonly teamMember: Readonly<Record<string, boolean>>;
      readonly signUp: Readonly<Record<string, boolean>>;
    };
  };
  /** Every key that was set, nested, with the typed sections above filled in. */
  readonly raw: NormalizedConfig;
}

type Node = NormalizedConfig | undefined;
const obj = (node: Node, key: string): Node => {
  const value = node?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
};
const bool = (node: Node, key: string, fallback: boolean) =>
  typeof node?.[key] === 'boolean' ? (node[key] as boolean) : fallback;
const str = (node: Node, key: string): string | undefined =>
  typeof node?.[key] === 'string' ? (node[key] as string) : undefined;
const num = (node: Node, key: string): number | undefined =>
  typeof node?.[key] === 'number' ? (node[key] as number) : undefined;
function record<T>(node: Node, read: (entry: Node, key: string) => T): Record<string, T> {
  return Object.fromEntries(Object.keys(node ?? {}).map((key) => [key, read(obj(node, key), key)]));
}
const flags = (node: Node) =>
  Object.fromEntries(Object.entries(node ?? {}).filter(([, v]) => typeof v === 'boolean')) as Record<
    string,
    boolean
  >;

const permissionScope = (scope: string | undefined) =>
  scope === 'team' || scope === 'project' ? scope : undefined;

/** `over` deep-merged onto `base` (objects merge, anything else from `over` wins). */
function deepMerge(base: NormalizedConfig, over: NormalizedConfig): NormalizedConfig {
  const result: NormalizedConfig = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    const bothObjects = [current, value].every(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
    result[key] = bothObjects ? deepMerge(current as NormalizedConfig, value as NormalizedConfig) : value;
  }
  return result;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Render override levels (outermost first: project, branch, environment) into the tenancy's configuration. */
export function renderConfig(levels: readonly ConfigOverride[]): RenderedConfig {
  const raw = normalizeOverride(levels.reduce<ConfigOverride>((acc, level) => applyOverride(acc, level), {}));
  const auth = obj(raw, 'auth');
  const oauth = obj(auth, 'oauth');
  const teams = obj(raw, 'teams');
  const domains = obj(raw, 'domains');
  const emails = obj(raw, 'emails');
  const server = obj(emails, 'server');
  const rbac = obj(raw, 'rbac');
  const defaults = obj(rbac, 'defaultPermissions');
  const rendered: Omit<RenderedConfig, 'raw'> = {
    project: { requirePublishableClientKey: bool(obj(raw, 'project'), 'requirePublishableClientKey', false) },
    auth: {
      allowSignUp: bool(auth, 'allowSignUp', true),
      password: { allowSignIn: bool(obj(auth, 'password'), 'allowSignIn', false) },
      otp: { allowSignIn: bool(obj(auth, 'otp'), 'allowSignIn', false) },
      passkey: { allowSignIn: bool(obj(auth, 'passkey'), 'allowSignIn', false) },
      oauth: {
        accountMergeStrategy: oneOf(
          str(oauth, 'accountMergeStrategy'),
          ['link_method', 'raise_error', 'allow_duplicates'],
          'link_method',
        ),
        providers: record(obj(oauth, 'providers'), (p) => ({
          type: str(p, 'type'),
          isShared: bool(p, 'isShared', true),
          allowSignIn: bool(p, 'allowSignIn', false),
          allowConnectedAccounts: bool(p, 'allowConnectedAccounts', false),
          clientId: str(p, 'clientId'),
          clientSecret: str(p, 'clientSecret'),
          facebookConfigId: str(p, 'facebookConfigId'),
          microsoftTenantId: str(p, 'microsoftTenantId'),
        })),
      },
    },
    teams: {
      createPersonalTeamOnSignUp: bool(teams, 'createPersonalTeamOnSignUp', false),
      allowClientTeamCreation: bool(teams, 'allowClientTeamCreation', false),
    },
    users: { allowClientUserDeletion: bool(obj(raw, 'users'), 'allowClientUserDeletion', false) },
    onboarding: { requireEmailVerification: bool(obj(raw, 'onboarding'), 'requireEmailVerification', false) },
    domains: {
      allowLocalhost: bool(domains, 'allowLocalhost', false),
      trustedDomains: record(obj(domains, 'trustedDomains'), (d) => ({
        baseUrl: str(d, 'baseUrl'),
        handlerPath: str(d, 'handlerPath') ?? '/handler',
      })),
    },
    apiKeys: {
      enabled: {
        team: bool(obj(obj(raw, 'apiKeys'), 'enabled'), 'team', false),
        user: bool(obj(obj(raw, 'apiKeys'), 'enabled'), 'user', false),
      },
    },
    apps: {
      installed: record(obj(obj(raw, 'apps'), 'installed'), (a) => ({ enabled: bool(a, 'enabled', false) })),
    },
    emails: {
      server: {
        isShared: bool(server, 'isShared', true),
        host: str(server, 'host'),
        port: num(server, 'port'),
        username: str(server, 'username'),
        password: str(server, 'password'),
        senderName: str(server, 'senderName'),
        senderEmail: str(server, 'senderEmail'),
      },
      selectedThemeId: str(emails, 'selectedThemeId') ?? DEFAULT_EMAIL_THEME_ID,
    },
    rbac: {
      permissions: record(obj(rbac, 'permissions'), (p) => ({
        description: str(p, 'description'),
        scope: permissionScope(str(p, 'scope')),
        containedPermissionIds: flags(obj(p, 'containedPermissionIds')),
      })),
      defaultPermissions: {
        teamCreator: flags(obj(defaults, 'teamCreator')),
        teamMember: flags(obj(defaults, 'teamMember')),
        signUp: flags(obj(defaults, 'signUp')),
      },
    },
  };
  return { ...rendered, raw: deepMerge(raw, JSON.parse(JSON.stringify(rendered)) as NormalizedConfig) };
}
