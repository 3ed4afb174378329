/**
 * Verification codes (upstream's VerificationCode rows): issuing them, the e-mails that carry them (e-mail
 * verification, OTP / magic-link sign-in, password reset), and accepting them.
 */
export type { IssuedCode, UsableCode, VerificationCodeType } from './codes.js';
export { createVerificationCode, findUsableCode, markCodeUsed, OTP_LENGTH } from './codes.js';
export type { ProjectSender } from './emails.js';
export { sendEmailVerification, sendPasswordReset, sendSignInCode } from './emails.js';
