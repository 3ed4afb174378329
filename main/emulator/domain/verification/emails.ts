import type { Queryable } from '../../db/index.js';
import type { MailService } from '../mail/index.js';
import type { TenancyRef } from '../projects/index.js';
import { createVerificationCode } from './codes.js';

/** Who sends a project's mail and on whose behalf: the project's display name is the sender's name. */
export interface ProjectSender {
  readonly tenancy: TenancyRef;
  readonly projectName: string;
}

/**
 * "Verify your email at …": a CONTACT_CHANNEL_VERIFICATION code for the user's address, sent as a link to the
 * callback URL (upstream's contactChannelVerificationCodeHandler.sendCode).
 */
export async function sendEmailVerification(
  db: Queryable,
  mail: MailService,
  from: ProjectSender,
  target: { userId: string; email: string; callbackUrl: string },
): Promise<void> {
  const { link } = await createVerificationCode(db, from.tenancy, {
    type: 'CONTACT_CHANNEL_VERIFICATION',
    data: { user_id: target.userId },
    method: { email: target.email },
    callbackUrl: target.callbackUrl,
  });
  await mail.sendTemplate(target.email, { name: from.projectName }, from.tenancy.tenancyId, {
    kind: 'email-verification',
    projectName: from.projectName,
    link: link!,
  });
}
