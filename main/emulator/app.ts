import { Hono } from 'hono';
import type { EmulatorContext } from './context.js';
import { StatusError } from './errors/index.js';
import { analyticsRoutes } from './routes/analytics.js';
import { apiRootRoutes } from './routes/api-root.js';
import { anonymousRoutes } from './routes/auth-anonymous.js';
import { mfaRoutes } from './routes/auth-mfa.js';
import { otpRoutes } from './routes/auth-otp.js';
import { passwordRoutes } from './routes/auth-password.js';
import { passwordChangeRoutes } from './routes/auth-password-change.js';
import { passwordResetRoutes } from './routes/auth-password-reset.js';
import { sessionRoutes } from './routes/auth-sessions.js';
import { connectedAccountRoutes } from './routes/connected-accounts.js';
import { contactChannelVerificationRoutes } from './routes/contact-channel-verification.js';
import { contactChannelRoutes } from './routes/contact-channels.js';
import { healthRoutes } from './routes/health.js';
import { internalApiKeyRoutes } from './routes/internal-api-keys.js';
import { internalConfigRoutes } from './routes/internal-config.js';
import { internalMetricsRoutes } from './routes/internal-metrics.js';
import { internalProjectRoutes } from './routes/internal-projects.js';
import { mailboxRoutes } from './routes/mailbox.js';
import { oauthRoutes } from './routes/oauth-authorize.js';
import { oauthTokenRoutes } from './routes/oauth-token.js';
import { permissionDefinitionRoutes } from './routes/permission-definitions.js';
import { permissionRoutes } from './routes/permissions.js';
import { projectRoutes } from './routes/projects.js';
import { teamInvitationRoutes } from './routes/team-invitations.js';
import { teamMemberProfileRoutes } from './routes/team-member-profiles.js';
import { teamMembershipRoutes } from './routes/team-memberships.js';
import { teamRoutes } from './routes/teams.js';
import { userRoutes } from './routes/users.js';
import { currentUserRoutes } from './routes/users-me.js';
import { webhookRoutes } from './routes/webhooks.js';
import { corsMiddleware } from './wire/cors.js';
import type { EmulatorEnv } from './wire/env.js';
import { handleError } from './wire/errors.js';
import { inputHygiene } from './wire/input-hygiene.js';
import { requestContext } from './wire/request-context.js';
import { smartRequest } from './wire/smart-request.js';

/** One module per upstream resource; `/users/me` before `/users/:userId`, so `me` reaches its handlers first. */
const RESOURCES = [
  apiRootRoutes,
  projectRoutes,
  internalProjectRoutes,
  internalApiKeyRoutes,
  internalConfigRoutes,
  internalMetricsRoutes,
  passwordRoutes,
  passwordResetRoutes,
  passwordChangeRoutes,
  otpRoutes,
  anonymousRoutes,
  mfaRoutes,
  sessionRoutes,
  oauthTokenRoutes,
  oauthRoutes,
  currentUserRoutes,
  userRoutes,
  contactChannelVerificationRoutes,
  contactChannelRoutes,
  connectedAccountRoutes,
  teamRoutes,
  teamMembershipRoutes,
  teamMemberProfileRoutes,
  teamInvitationRoutes,
  permissionRoutes,
  permissionDefinitionRoutes,
  mailboxRoutes,
  analyticsRoutes,
  webhookRoutes,
];

/**
 * The emulator's HTTP surface: `/health`, the identity provider at `/mock-oauth`, the Svix-compatible webhooks
 * API at `/svix` and stored images at `/stack-storage` (each unless it has a port of its own), and the API behind the wire middleware at `/api/v1` and
 * `/api/latest` (upstream's newest version, which the emulator's v1 is).
 */
export function createEmulatorApp(
  ctx: EmulatorContext,
  beside: { identityProvider?: Hono | null; webhooksApi?: Hono | null; storage?: Hono | null } = {},
): Hono<EmulatorEnv> {
  const { identityProvider, webhooksApi, storage } = beside;
  const api = new Hono<EmulatorEnv>();
  api.use('*', corsMiddleware(ctx.compat), requestContext(ctx), inputHygiene(), smartRequest());
  for (const routes of RESOURCES) api.route('/', routes);
  api.all('*', (c) => {
    throw new StatusError(
      404,
      `No emulated endpoint ${c.req.method} ${c.req.path}. See docs/emulator.md for the list.`,
    );
  });

  const app = new Hono<EmulatorEnv>();
  app.onError(handleError);
  app.route('/', healthRoutes(ctx));
  if (identityProvider) app.route('/mock-oauth', identityProvider);
  if (webhooksApi) app.route('/svix', webhooksApi);
  if (storage) app.route('/', storage);
  app.route('/api/v1', api);
  app.route('/api/latest', api);
  return app;
}
