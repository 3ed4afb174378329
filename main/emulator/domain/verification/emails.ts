import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { MailService } from '../mail/index.js';
import { isTrustedRedirectUrl, type Tenancy } from '../projects/index.js';
import { createVerificationCode, type IssuedCode, OTP_LENGTH, type VerificationCodeType } from './codes.js';

/** Who sends a project's mail and on whose behalf: the project's display name is the sender's name. */
export interface ProjectSender {
  readonly tenancy: Tenancy;
  readonly projectName: string;
}

/** A code whose link goes to `callbackUrl`, which must be trusted (upstream's createCode checks every one). */
async function issueLinkCode(
  db: Queryable,
  tenancy: Tenancy,
  spec: { type: VerificationCodeType; data: Record<string, unknown>; email: string; callbackUrl: string },
): Promise<IssuedCode & { link: string }> {
  if (!isTrustedRedirectUrl(spec.callbackUrl, tenancy.config))
    throw knownError('REDIRECT_URL_NOT_WHITELISTED');
  const issued = await createVerificationCode(db, tenancy, {
    type: spec.type,
    data: spec.data,
    method: { email: spec.email },
    callbackUrl: spec.callbackUrl,
  });
  return { ...issued, link: issued.link! };
}

/**
 * "Verify your email at …": a CONTACT_CHANNEL_VERIFICATION code for one of the user's addresses, sent as a link
 * to the callback URL (upstream's contactChannelVerificationCodeHandler.sendCode).
 */
export async function sendEmailVerification(
  db: Queryable,
  mail: MailService,
  from: ProjectSender,
  target: { userId: string; email: string; callbackUrl: string },
): Promise<void> {
  const { link } = await issueLinkCode(db, from.tenancy, {
    type: 'CONTACT_CHANNEL_VERIFICATION',
    data: { user_id: target.userId },
    email: target.email,
    callbackUrl: target.callbackUrl,
  });
  await mail.sendTemplate(target.email, { name: from.projectName }, from.tenancy.tenancyId, {
    kind: 'email-verification',
    projectName: from.projectName,
    link,
  });
}

/**
 * "Sign in to …: Your code is …": a ONE_TIME_PASSWORD code sent both as a magic link and as a six-character OTP
 * (the code's first characters, upper case). The rest of the code is the nonce the client keeps and sends back
 * after the OTP, so the answer carries only the nonce.
 */
export async function sendSignInCode(
  db: Queryable,
  mail: MailService,
  from: ProjectSender,
  target: { email: string; callbackUrl: string; signUpCountryCode: string | null },
): Promise<{ nonce: string }> {
  // The sign-up it may become happens later, elsewhere: the code carries where it was asked for (upstream does).
  const { code, link } = await issueLinkCode(db, from.tenancy, {
    type: 'ONE_TIME_PASSWORD',
    data: { sign_up_country_code: target.signUpCountryCode },
    email: target.email,
    callbackUrl: target.callbackUrl,
  });
  const nonce = code.slice(OTP_LENGTH);
  await mail.sendTemplate(target.email, { name: from.projectName }, from.tenancy.tenancyId, {
    kind: 'sign-in-code',
    projectName: from.projectName,
    link,
    otp: code.slice(0, OTP_LENGTH).toUpperCase(),
    nonce,
  });
  return { nonce };
}

/** "Reset your password at …": a PASSWORD_RESET code for the user, sent as a link to the callback URL. */
export async function sendPasswordReset(
  db: Queryable,
  mail: MailService,
  from: ProjectSender,
  target: { userId: string; email: string; callbackUrl: string },
): Promise<void> {
  const { link } = await issueLinkCode(db, from.tenancy, {
    type: 'PASSWORD_RESET',
    data: { user_id: target.userId },
    email: target.email,
    callbackUrl: target.callbackUrl,
  });
  await mail.sendTemplate(target.email, { name: from.projectName }, from.tenancy.tenancyId, {
    kind: 'password-reset',
    projectName: from.projectName,
    link,
  });
}
