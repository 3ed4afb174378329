import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { withTransaction } from '../db/index.js';
import { findEmailChannel, findUser, markEmailVerified, type UserRecord } from '../domain/users/index.js';
import {
  findUsableCode,
  markCodeUsed,
  type ProjectSender,
  sendEmailVerification,
} from '../domain/verification/index.js';
import { knownError, StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { success } from '../wire/respond.js';
import { type RequestAuth, requireAccess } from '../wire/smart-request.js';
import { schemaError, validate, validBody } from '../wire/validate.js';
import { urlField } from './schemas/fields.js';
import { codeField, codeIsValid } from './schemas/verification.js';

/** Verifying a contact channel: the e-mail with a link (`send-verification-code`), and the code it carries. */
export const contactChannelVerificationRoutes = new Hono<EmulatorEnv>();

const sendBody = z.strictObject({ callback_url: urlField });
const legacySendBody = z.strictObject({ email: z.email(), callback_url: urlField });
const codeBody = z.strictObject({ code: codeField });

const sender = (auth: RequestAuth): ProjectSender => ({
  tenancy: auth.tenancy,
  projectName: auth.project.displayName,
});

/** The channel owner: a client only for itself (upstream's 400), a server for any user that exists. */
async function owner(c: Context<EmulatorEnv>, auth: RequestAuth): Promise<UserRecord> {
  const ids = validate(c, 'params', z.object({ user_id: z.union([z.literal('me'), z.uuid()]) }), {
    user_id: c.req.param('userId'),
  });
  const userId = ids.user_id === 'me' ? auth.user?.id : ids.user_id;
  if (!userId) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  if (auth.type === 'client') {
    if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
    if (auth.user.id !== userId)
      throw new StatusError(400, 'Can only send verification code for your own user');
    return auth.user;
  }
  const user = await findUser(c.var.ctx.pool, auth.tenancyId, userId);
  if (!user) throw knownError('USER_ID_DOES_NOT_EXIST', userId);
  return user;
}

contactChannelVerificationRoutes.post(
  '/contact-channels/:userId/:channelId/send-verification-code',
  async (c) => {
    const auth = requireAccess(c);
    const user = await owner(c, auth);
    const { channel_id } = validate(c, 'params', z.object({ channel_id: z.uuid() }), {
      channel_id: c.req.param('channelId'),
    });
    const body = await validBody(c, sendBody);
    const { ctx } = c.var;
    const channel = await findEmailChannel(ctx.pool, auth.tenancyId, user.id, channel_id);
    if (!channel) throw new StatusError(404, 'Contact channel not found');
    if (channel.isVerified) throw knownError('EMAIL_ALREADY_VERIFIED');
    await sendEmailVerification(ctx.pool, ctx.mail, sender(auth), {
      userId: user.id,
      email: channel.value,
      callbackUrl: body.callback_url,
    });
    return success(c);
  },
);

/** The older form the SDKs still call (`user.sendVerificationEmail()`): the signed-in user's primary e-mail. */
contactChannelVerificationRoutes.post('/contact-channels/send-verification-code', async (c) => {
  const auth = requireAccess(c);
  const body = await validBody(c, legacySendBody);
  const user = auth.user;
  if (!user) throw schemaError(c, ['auth.user must be defined']);
  if (user.primaryEmail !== body.email)
    throw knownError('EMAIL_IS_NOT_PRIMARY_EMAIL', body.email, user.primaryEmail);
  if (user.primaryEmailVerified) throw knownError('EMAIL_ALREADY_VERIFIED');
  const { ctx } = c.var;
  await sendEmailVerification(ctx.pool, ctx.mail, sender(auth), {
    userId: user.id,
    email: body.email,
    callbackUrl: body.callback_url,
  });
  return success(c);
});

contactChannelVerificationRoutes.post('/contact-channels/verify', async (c) => {
  const auth = requireAccess(c);
  const { code } = await validBody(c, codeBody);
  const { ctx } = c.var;
  const found = await findUsableCode(ctx.pool, auth.tenancy, 'CONTACT_CHANNEL_VERIFICATION', code);
  await withTransaction(ctx.pool, async (tx) => {
    await markCodeUsed(tx, auth.tenancy, found.id);
    const verified = await markEmailVerified(
      tx,
      auth.tenancyId,
      String(found.data.user_id),
      String(found.method.email),
    );
    // The channel can be deleted between the e-mail and the click.
    if (!verified) throw new StatusError(400, 'Contact channel not found. Was your contact channel deleted?');
  });
  return success(c);
});

contactChannelVerificationRoutes.post('/contact-channels/verify/check-code', async (c) => {
  const auth = requireAccess(c);
  const { code } = await validBody(c, codeBody);
  await findUsableCode(c.var.ctx.pool, auth.tenancy, 'CONTACT_CHANNEL_VERIFICATION', code);
  return codeIsValid(c);
});
