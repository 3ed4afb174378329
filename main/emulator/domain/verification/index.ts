/**
 * Verification codes (upstream's VerificationCode rows) and the e-mails that carry them. OTP sign-in, password
 * reset and team invitations add their senders here, next to `sendEmailVerification`.
 */
export type { IssuedCode, UsableCode, VerificationCodeType } from './codes.js';
export { createVerificationCode, findUsableCode, markCodeUsed, OTP_LENGTH } from './codes.js';
export type { ProjectSender } from './emails.js';
export { sendEmailVerification } from './emails.js';
