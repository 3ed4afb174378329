import { Hono } from 'hono';
import { z } from 'zod';
import type { EmulatorEnv } from '../wire/env.js';
import { validQuery } from '../wire/validate.js';

/** `GET /api/v1`: upstream's greeting (word for word: clients and upstream's tests read it) and who you are. */
export const apiRootRoutes = new Hono<EmulatorEnv>();

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

apiRootRoutes.get('/', (c) => {
  validQuery(c, z.strictObject({}));
  const auth = c.var.auth;
  const who = auth
    ? `${capitalize(auth.type)}\n  Project: ${auth.projectId}\n  User: ${auth.user ? (auth.user.primaryEmail ?? auth.user.id) : 'None'}`
    : 'None';
  return c.text(
    `Welcome to the Stack API endpoint! Please refer to the documentation at https://docs.stack-auth.com.\n\nAuthentication: ${who}`,
  );
});
