import { z } from 'zod';
import { BARE_MESSAGE } from '../../wire/validate.js';

const nonEmpty = z.string().min(1);
const permissionIds = z.array(z.strictObject({ id: z.string() }));

/** `email_config`: a standard server needs every field (upstream's yupDefinedAndNonEmptyWhen type = standard). */
const emailConfig = z
  .strictObject({
    type: z.enum(['shared', 'standard']),
    host: z.string().optional(),
    port: z.number().int().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    sender_name: z.string().optional(),
    sender_email: z.string().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.type !== 'standard') return;
    for (const field of ['host', 'port', 'username', 'password', 'sender_name', 'sender_email'] as const) {
      const value = config[field];
      if (value === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'must be defined' });
      else if (value === '') ctx.addIssue({ code: 'custom', path: [field], message: 'must not be empty' });
    }
  });

const oauthProvider = z
  .strictObject({
    id: z.string(),
    type: z.enum(['shared', 'standard']),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
    facebook_config_id: z.string().optional(),
    microsoft_tenant_id: z.string().optional(),
    apple_bundle_ids: z.array(z.string()).optional(),
  })
  .superRefine((provider, ctx) => {
    if (provider.type !== 'standard') return;
    for (const field of ['client_id', 'client_secret'] as const) {
      const value = provider[field];
      if (value === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'must be defined' });
      else if (value === '') ctx.addIssue({ code: 'custom', path: [field], message: 'must not be empty' });
    }
  });

const domain = z.strictObject({
  domain: z.string().refine((url) => /^https?:\/\//.test(url), {
    message: 'URL must start with http:// or https://',
    params: BARE_MESSAGE,
  }),
  handler_path: z.string(),
});

/** projectsCrudAdminUpdateSchema's `config`. */
export const legacyConfigUpdate = z.strictObject({
  sign_up_enabled: z.boolean().optional(),
  credential_enabled: z.boolean().optional(),
  magic_link_enabled: z.boolean().optional(),
  passkey_enabled: z.boolean().optional(),
  client_team_creation_enabled: z.boolean().optional(),
  client_user_deletion_enabled: z.boolean().optional(),
  allow_localhost: z.boolean().optional(),
  allow_user_api_keys: z.boolean().optional(),
  allow_team_api_keys: z.boolean().optional(),
  email_config: emailConfig.optional(),
  email_theme: z.string().optional(),
  domains: z.array(domain).optional(),
  oauth_providers: z.array(oauthProvider).optional(),
  create_team_on_sign_up: z.boolean().optional(),
  team_creator_default_permissions: permissionIds.optional(),
  team_member_default_permissions: permissionIds.optional(),
  user_default_permissions: permissionIds.optional(),
  oauth_account_merge_strategy: z.enum(['link_method', 'raise_error', 'allow_duplicates']).optional(),
  require_email_verification: z.boolean().optional(),
});

/** projectsCrudAdminUpdateSchema. */
export const projectUpdate = z.strictObject({
  display_name: nonEmpty.optional(),
  description: z.string().nullable().optional(),
  logo_url: z.string().nullable().optional(),
  logo_full_url: z.string().nullable().optional(),
  logo_dark_mode_url: z.string().nullable().optional(),
  logo_full_dark_mode_url: z.string().nullable().optional(),
  is_production_mode: z.boolean().optional(),
  onboarding_status: z.string().optional(),
  config: legacyConfigUpdate.optional(),
});

/** projectsCrudAdminCreateSchema: a name and the dashboard team that will own the project. */
export const projectCreate = projectUpdate.extend({
  display_name: nonEmpty,
  owner_team_id: z.uuid(),
});
