/**
 * Users: one query builds a user with its derived fields; mutations of the user and its auth rows (primary
 * e-mail, password, OAuth links); the list with keyset pagination; passwords; the API's JSON views of a user.
 */
export { setOtpAuth, setPassword } from './auth-methods.js';
export { findEmailChannel, markEmailVerified } from './contact-channels.js';
export type { ListUsersOptions } from './list.js';
export { listUsers } from './list.js';
export type { UserAuthFields, UserFields, UserWrite } from './mutations.js';
export { createUser, deleteUser, rethrowEmailTaken, updateUser } from './mutations.js';
export { otpSignInUser, otpUserForEmail } from './otp-sign-in.js';
export {
  checkImportedHash,
  checkPasswordPolicy,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from './passwords.js';
export type { AuthEmailChannel } from './queries.js';
export {
  findAuthEmailChannel,
  findAuthUserByEmail,
  findPasswordHash,
  findUser,
  isUuid,
  normalizeEmail,
  USER_SELECT,
} from './queries.js';
export type { OnboardingConfig, RestrictedReason, UserRecord } from './record.js';
export { restrictedStatus } from './record.js';
export { clientUserJson, serverUserJson } from './serialize.js';
export { createPersonalTeamIfEnabled, createUserWithDefaults, signUpOrUpgrade } from './sign-up.js';
