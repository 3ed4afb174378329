import { Hono } from 'hono';
import type { EmulatorContext, EmulatorEnv } from './context.js';
import { contactChannelRoutes } from './routes/contact-channels.js';
import { healthRoutes } from './routes/health.js';
import { mockIdpRoutes } from './routes/mock-idp.js';
import { oauthRoutes } from './routes/oauth.js';
import { oauthTokenRoutes } from './routes/oauth-token.js';
import { passwordRoutes } from './routes/password.js';
import { projectRoutes } from './routes/projects.js';
import { sessionRoutes } from './routes/sessions.js';
import { userRoutes } from './routes/users.js';
import { currentUserRoutes } from './routes/users-me.js';
import { corsMiddleware } from './wire/cors.js';
import { handleError } from './wire/errors.js';
import { StatusError } from './wire/known-errors.js';
import { requestContext } from './wire/request-context.js';
import { smartRequest } from './wire/smart-request.js';

/** The emulator's HTTP surface: `/health`, the mock identity provider and the v1 API behind the wire middleware. */
export function createEmulatorApp(ctx: EmulatorContext): Hono<EmulatorEnv> {
  const api = new Hono<EmulatorEnv>();
  api.use('*', corsMiddleware(ctx.compat), requestContext(ctx), smartRequest());
  api.get('/', (c) =>
    c.text(
      `Hexclave Companion emulator of the Stack Auth / Hexclave API v1 (${ctx.compat} mode).\n\nAuthentication: ${c.var.auth ? `${c.var.auth.type} access to project ${c.var.auth.projectId}` : 'none'}\n`,
    ),
  );
  // /users/me before /users/:userId, so `me` reaches the current-user handlers first.
  for (const routes of [
    projectRoutes,
    passwordRoutes,
    sessionRoutes,
    oauthTokenRoutes,
    oauthRoutes,
    currentUserRoutes,
    userRoutes,
    contactChannelRoutes,
  ]) {
    api.route('/', routes);
  }
  api.all('*', (c) => {
    throw new StatusError(
      404,
      `No emulated endpoint ${c.req.method} ${c.req.path}. See docs/emulator.md for the list.`,
    );
  });

  const app = new Hono<EmulatorEnv>();
  app.onError(handleError);
  app.route('/', healthRoutes(ctx));
  app.route('/', mockIdpRoutes(ctx));
  app.route('/api/v1', api);
  return app;
}
