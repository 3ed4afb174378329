import { randomUUID } from 'node:crypto';
import type { ConfigOverride } from './override.js';
import type { RenderedConfig } from './rendered.js';

/**
 * The projects CRUD's `config` object (upstream calls it the legacy config): what the dashboard and
 * `/internal/projects` read and write. Writes become an environment-level override; reads come from the rendered
 * configuration, so both API generations see one truth.
 */
export interface LegacyConfigUpdate {
  readonly sign_up_enabled?: boolean;
  readonly credential_enabled?: boolean;
  readonly magic_link_enabled?: boolean;
  readonly passkey_enabled?: boolean;
  readonly client_team_creation_enabled?: boolean;
  readonly client_user_deletion_enabled?: boolean;
  readonly allow_localhost?: boolean;
  readonly allow_user_api_keys?: boolean;
  readonly allow_team_api_keys?: boolean;
  readonly create_team_on_sign_up?: boolean;
  readonly require_email_verification?: boolean;
  readonly oauth_account_merge_strategy?: 'link_method' | 'raise_error' | 'allow_duplicates';
  readonly email_theme?: string;
  readonly email_config?: {
    readonly type: 'shared' | 'standard';
    readonly host?: string;
    readonly port?: number;
    readonly username?: string;
    readonly password?: string;
    readonly sender_name?: string;
    readonly sender_email?: string;
  };
  readonly domains?: readonly { readonly domain: string; readonly handler_path: string }[];
  readonly oauth_providers?: readonly {
    readonly id: string;
    readonly type: 'shared' | 'standard';
    readonly client_id?: string;
    readonly client_secret?: string;
    readonly facebook_config_id?: string;
    readonly microsoft_tenant_id?: string;
  }[];
  readonly team_creator_default_permissions?: readonly { readonly id: string }[];
  readonly team_member_default_permissions?: readonly { readonly id: string }[];
  readonly user_default_permissions?: readonly { readonly id: string }[];
}

const permissionFlags = (permissions: readonly { id: string }[] | undefined) =>
  permissions && Object.fromEntries(permissions.map((p) => [p.id, true]));

/** Upstream's two team permissions of a new project, and who gets them. */
const NEW_PROJECT_DEFAULTS: ConfigOverride = {
  'rbac.permissions.team_member': {
    description: 'Default permission for team members',
    scope: 'team',
    containedPermissionIds: { $read_members: true, $invite_members: true },
  },
  'rbac.permissions.team_admin': {
    description: 'Default permission for team admins',
    scope: 'team',
    containedPermissionIds: {
      $update_team: true,
      $delete_team: true,
      $read_members: true,
      $remove_members: true,
      $invite_members: true,
      $manage_api_keys: true,
    },
  },
  'rbac.defaultPermissions.teamCreator': { team_admin: true },
  'rbac.defaultPermissions.teamMember': { team_member: true },
  'auth.password.allowSignIn': true,
  'apps.installed.authentication.enabled': true,
  'apps.installed.emails.enabled': true,
};

/** The environment-level override a legacy config write makes; `creating` adds a new project's defaults. */
export function legacyConfigOverride(update: LegacyConfigUpdate, creating: boolean): ConfigOverride {
  const email = update.email_config;
  const entries: [string, unknown][] = [
    ['auth.allowSignUp', update.sign_up_enabled],
    ['auth.password.allowSignIn', update.credential_enabled],
    ['auth.otp.allowSignIn', update.magic_link_enabled],
    ['auth.passkey.allowSignIn', update.passkey_enabled],
    ['auth.oauth.accountMergeStrategy', update.oauth_account_merge_strategy],
    [
      'auth.oauth.providers',
      update.oauth_providers &&
        Object.fromEntries(
          update.oauth_providers.map((p) => [
            p.id,
            {
              type: p.id,
              isShared: p.type === 'shared',
              clientId: p.client_id,
              clientSecret: p.client_secret,
              facebookConfigId: p.facebook_config_id,
              microsoftTenantId: p.microsoft_tenant_id,
              allowSignIn: true,
              allowConnectedAccounts: true,
            },
          ]),
        ),
    ],
    ['users.allowClientUserDeletion', update.client_user_deletion_enabled],
    ['teams.allowClientTeamCreation', update.client_team_creation_enabled],
    ['teams.createPersonalTeamOnSignUp', update.create_team_on_sign_up],
    ['domains.allowLocalhost', update.allow_localhost],
    [
      'domains.trustedDomains',
      update.domains &&
        Object.fromEntries(
          update.domains.map((d) => [randomUUID(), { baseUrl: d.domain, handlerPath: d.handler_path }]),
        ),
    ],
    ['apiKeys.enabled.user', update.allow_user_api_keys],
    ['apiKeys.enabled.team', update.allow_team_api_keys],
    [
      'emails.server',
      email && {
        isShared: email.type === 'shared',
        host: email.host,
        port: email.port,
        username: email.username,
        password: email.password,
        senderName: email.sender_name,
        senderEmail: email.sender_email,
        provider: 'smtp',
      },
    ],
    ['emails.selectedThemeId', update.email_theme],
    ['rbac.defaultPermissions.teamMember', permissionFlags(update.team_member_default_permissions)],
    ['rbac.defaultPermissions.teamCreator', permissionFlags(update.team_creator_default_permissions)],
    ['rbac.defaultPermissions.signUp', permissionFlags(update.user_default_permissions)],
    ['onboarding.requireEmailVerification', update.require_email_verification],
  ];
  // JSON round trip: drops undefined fields inside objects, as they are not part of an override.
  const set = JSON.parse(JSON.stringify(Object.fromEntries(entries.filter(([, v]) => v !== undefined))));
  return creating ? { ...NEW_PROJECT_DEFAULTS, ...set } : set;
}

const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The OAuth providers a project offers for sign-in, sorted by id as upstream lists them. */
export function signInProviders(config: RenderedConfig) {
  return Object.entries(config.auth.oauth.providers)
    .filter(([, p]) => p.type && p.allowSignIn)
    .map(([configId, p]) => ({ configId, ...p, type: p.type! }))
    .sort(byString((p) => p.type));
}

function trustedDomainsJson(config: RenderedConfig) {
  return Object.values(config.domains.trustedDomains)
    .filter((d) => d.baseUrl !== undefined)
    .map((d) => ({ domain: d.baseUrl!, handler_path: d.handlerPath }))
    .sort(byString((d) => d.domain));
}

/** Permission ids granted by default that are defined with the given scope, sorted. */
function defaultPermissionsJson(
  config: RenderedConfig,
  granted: Readonly<Record<string, boolean>>,
  scope: 'team' | 'project',
) {
  return Object.entries(granted)
    .filter(([id, on]) => on && config.rbac.permissions[id]?.scope === scope)
    .map(([id]) => ({ id }))
    .sort(byString((p) => p.id));
}

/** `config` of the admin project read (projects CRUD). */
export function adminConfigJson(config: RenderedConfig) {
  const providers = signInProviders(config).map((p) =>
    JSON.parse(
      JSON.stringify({
        provider_config_id: p.configId,
        id: p.type,
        type: p.isShared ? 'shared' : 'standard',
        client_id: p.clientId,
        client_secret: p.clientSecret,
        facebook_config_id: p.facebookConfigId,
        microsoft_tenant_id: p.microsoftTenantId,
      }),
    ),
  );
  const server = config.emails.server;
  return {
    allow_localhost: config.domains.allowLocalhost,
    client_team_creation_enabled: config.teams.allowClientTeamCreation,
    client_user_deletion_enabled: config.users.allowClientUserDeletion,
    sign_up_enabled: config.auth.allowSignUp,
    oauth_account_merge_strategy: config.auth.oauth.accountMergeStrategy,
    create_team_on_sign_up: config.teams.createPersonalTeamOnSignUp,
    credential_enabled: config.auth.password.allowSignIn,
    magic_link_enabled: config.auth.otp.allowSignIn,
    passkey_enabled: config.auth.passkey.allowSignIn,
    oauth_providers: providers,
    enabled_oauth_providers: providers.map((p: { id: string }) => ({ id: p.id })),
    domains: trustedDomainsJson(config),
    email_config: server.isShared
      ? { type: 'shared' }
      : {
          type: 'standard',
          host: server.host,
          port: server.port,
          username: server.username,
          password: server.password,
          sender_name: server.senderName,
          sender_email: server.senderEmail,
        },
    email_theme: config.emails.selectedThemeId,
    team_creator_default_permissions: defaultPermissionsJson(
      config,
      config.rbac.defaultPermissions.teamCreator,
      'team',
    ),
    team_member_default_permissions: defaultPermissionsJson(
      config,
      config.rbac.defaultPermissions.teamMember,
      'team',
    ),
    user_default_permissions: defaultPermissionsJson(
      config,
      config.rbac.defaultPermissions.signUp,
      'project',
    ),
    allow_user_api_keys: config.apiKeys.enabled.user,
    allow_team_api_keys: config.apiKeys.enabled.team,
  };
}

/** `config` of `GET /projects/current` for any access type (clientReadSchema): no secrets. */
export function clientConfigJson(config: RenderedConfig) {
  return {
    sign_up_enabled: config.auth.allowSignUp,
    credential_enabled: config.auth.password.allowSignIn,
    magic_link_enabled: config.auth.otp.allowSignIn,
    passkey_enabled: config.auth.passkey.allowSignIn,
    client_team_creation_enabled: config.teams.allowClientTeamCreation,
    client_user_deletion_enabled: config.users.allowClientUserDeletion,
    allow_user_api_keys: config.apiKeys.enabled.user,
    allow_team_api_keys: config.apiKeys.enabled.team,
    enabled_oauth_providers: signInProviders(config).map((p) => ({ id: p.type })),
    domains: trustedDomainsJson(config),
  };
}
