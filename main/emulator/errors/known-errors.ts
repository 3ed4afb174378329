import { requestHeaderName } from '../../../shared/registry/index.js';

/**
 * The one table of upstream's KnownErrors that the emulator can emit (packages/stack-shared/src/known-errors.tsx):
 * code → HTTP status, message and details. Messages are wire facts: the SDKs rebuild the error class from the code
 * and show the message, and upstream's own tests compare both, so they are worded exactly as upstream words them.
 * Add a code here (and nowhere else) when a route needs it; domain and route code throw `knownError(code, …)`.
 */
export type AccessType = 'client' | 'server' | 'admin';

interface Definition {
  readonly status: number;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

const header = (id: string) => requestHeaderName(id, 'stack');
const titleCaseHeader = (id: string) =>
  header(id).replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
const DOCS =
  'For more information, see the docs on REST API authentication: https://docs.stack-auth.com/rest-api/overview#authentication';

const DEFINITIONS = {
  SCHEMA_ERROR: (message: string) => ({ status: 400, message, details: { message } }),
  BODY_PARSING_ERROR: (message: string) => ({ status: 400, message }),
  PROJECT_KEY_WITHOUT_ACCESS_TYPE: () => ({
    status: 400,
    message: `Either an API key or an admin access token was provided, but the ${header('header.access-type')} header is missing. Set it to 'client', 'server', or 'admin' as appropriate.`,
  }),
  INVALID_ACCESS_TYPE: (accessType: string) => ({
    status: 400,
    message: `The ${header('header.access-type')} header must be 'client', 'server', or 'admin', but was '${accessType}'.`,
  }),
  ACCESS_TYPE_WITHOUT_PROJECT_ID: (accessType: string) => ({
    status: 400,
    message: `The ${header('header.access-type')} header was '${accessType}', but the ${header('header.project-id')} header was not provided.\n\n${DOCS}`,
    details: { request_type: accessType },
  }),
  ACCESS_TYPE_REQUIRED: () => ({
    status: 400,
    message: `You must specify an access level for this Stack project. Make sure project API keys are provided (eg. ${header('header.publishable-client-key')}) and you set the ${header('header.access-type')} header to 'client', 'server', or 'admin'.\n\n${DOCS}`,
  }),
  INSUFFICIENT_ACCESS_TYPE: (actual: AccessType, allowed: readonly AccessType[]) => ({
    status: 401,
    message: `The ${header('header.access-type')} header must be ${allowed.map((s) => `'${s}'`).join(' or ')}, but was '${actual}'.`,
    details: { actual_access_type: actual, allowed_access_types: allowed },
  }),
  INVALID_PUBLISHABLE_CLIENT_KEY: (projectId: string) => ({
    status: 401,
    message: `The publishable key is not valid for the project ${JSON.stringify(projectId)}. Does the project and/or the key exist?`,
    details: { project_id: projectId },
  }),
  INVALID_SECRET_SERVER_KEY: (projectId: string) => ({
    status: 401,
    message: `The secret server key is not valid for the project ${JSON.stringify(projectId)}. Does the project and/or the key exist?`,
    details: { project_id: projectId },
  }),
  INVALID_SUPER_SECRET_ADMIN_KEY: (projectId: string) => ({
    status: 401,
    message: `The super secret admin key is not valid for the project ${JSON.stringify(projectId)}. Does the project and/or the key exist?`,
    details: { project_id: projectId },
  }),
  PUBLISHABLE_CLIENT_KEY_REQUIRED_FOR_PROJECT: (projectId: string) => ({
    status: 401,
    message:
      'Publishable client keys are required for this project. Create one in Project Keys, or disable this requirement there to allow keyless client access.',
    details: { project_id: projectId },
  }),
  SERVER_AUTHENTICATION_REQUIRED: () => ({ status: 401, message: 'The secret server key must be provided.' }),
  ADMIN_AUTHENTICATION_REQUIRED: () => ({
    status: 401,
    message: 'The super secret admin key must be provided.',
  }),
  UNPARSABLE_ACCESS_TOKEN: () => ({ status: 401, message: 'Access token is not parsable.' }),
  ACCESS_TOKEN_EXPIRED: (
    expiredAt: Date | null,
    projectId: string | null,
    userId: string | null,
    refreshTokenId: string | null,
  ) => ({
    status: 401,
    message: `Access token has expired. Please refresh it and try again.${expiredAt ? ` (The access token expired at ${expiredAt.toISOString()}.)` : ''}${projectId ? ` Project ID: ${projectId}.` : ''}${userId ? ` User ID: ${userId}.` : ''}${refreshTokenId ? ` Refresh token ID: ${refreshTokenId}.` : ''}`,
    details: {
      expired_at_millis: expiredAt?.getTime() ?? null,
      project_id: projectId,
      user_id: userId,
      refresh_token_id: refreshTokenId,
    },
  }),
  INVALID_PROJECT_FOR_ACCESS_TOKEN: (expected: string, actual: string) => ({
    status: 401,
    message: `Access token not valid for this project. Expected project ID ${JSON.stringify(expected)}, but the token is for project ID ${JSON.stringify(actual)}.`,
    details: { expected_project_id: expected, actual_project_id: actual },
  }),
  REFRESH_TOKEN_NOT_FOUND_OR_EXPIRED: () => ({
    status: 401,
    message: 'Refresh token not found for this project, or the session has expired/been revoked.',
  }),
  ANONYMOUS_AUTHENTICATION_NOT_ALLOWED: () => ({
    status: 401,
    message: `${titleCaseHeader('header.access-token')} is for an anonymous user, but anonymous users are not enabled. Set the ${titleCaseHeader('header.allow-anonymous-user')} header of this request to 'true' to allow anonymous users.`,
  }),
  RESTRICTED_USER_NOT_ALLOWED: (reason: { type: string }) => ({
    status: 403,
    message: `The user in the access token is in restricted state. Reason: ${reason.type}. Please pass the ${titleCaseHeader('header.allow-restricted-user')} header if this is intended.`,
    details: { restricted_reason: reason },
  }),
  CURRENT_PROJECT_NOT_FOUND: (projectId: string) => ({
    status: 400,
    message: `The current project with ID ${projectId} was not found. Please check the value of the ${header('header.project-id')} header.`,
    details: { project_id: projectId },
  }),
  PROJECT_NOT_FOUND: (projectId: string) => ({
    status: 404,
    message: `Project ${projectId} not found or is not accessible with the current user.`,
    details: { project_id: projectId },
  }),
  BRANCH_DOES_NOT_EXIST: (branchId: string) => ({
    status: 400,
    message: `The branch with ID ${branchId} does not exist.`,
    details: { branch_id: branchId },
  }),
  CANNOT_GET_OWN_USER_WITHOUT_USER: () => ({
    status: 400,
    message: "You have specified 'me' as a userId, but did not provide authentication for a user.",
  }),
  USER_NOT_FOUND: () => ({ status: 404, message: 'User not found.' }),
  USER_AUTHENTICATION_REQUIRED: () => ({
    status: 401,
    message: 'User authentication required for this endpoint.',
  }),
  EMAIL_PASSWORD_MISMATCH: () => ({ status: 400, message: 'Wrong e-mail or password.' }),
  USER_EMAIL_ALREADY_EXISTS: (email: string, wouldWorkIfEmailWasVerified = false) => ({
    status: 409,
    message: `A user with email ${JSON.stringify(email)} already exists${wouldWorkIfEmailWasVerified ? ' but the email is not verified. Please login to your existing account with the method you used to sign up, and then verify your email to sign in with this login method.' : '.'}`,
    details: { email, would_work_if_email_was_verified: wouldWorkIfEmailWasVerified },
  }),
  CONTACT_CHANNEL_ALREADY_USED_FOR_AUTH_BY_SOMEONE_ELSE: (
    type: string,
    value: string | null,
    wouldWorkIfEmailWasVerified = false,
  ) => ({
    status: 409,
    message: `This ${type} ${value ? `"(${value})"` : ''} is already used for authentication by another account${wouldWorkIfEmailWasVerified ? ' but the email is not verified. Please login to your existing account with the method you used to sign up, and then verify your email to sign in with this login method.' : '.'}`,
    details: {
      type,
      contact_channel_value: value,
      would_work_if_email_was_verified: wouldWorkIfEmailWasVerified,
    },
  }),
  PASSWORD_TOO_SHORT: (minLength: number) => ({
    status: 400,
    message: `Password too short. Minimum length is ${minLength}.`,
    details: { min_length: minLength },
  }),
  PASSWORD_TOO_LONG: (maxLength: number) => ({
    status: 400,
    message: `Password too long. Maximum length is ${maxLength}.`,
    details: { maxLength },
  }),
  INVALID_OAUTH_CLIENT_ID_OR_SECRET: (clientId: string | null) => ({
    status: 400,
    message:
      'The OAuth client ID or secret is invalid. The client ID must be equal to the project ID (potentially with a hash and a branch ID), and the client secret must be a publishable client key.',
    details: { client_id: clientId },
  }),
  OAUTH_PROVIDER_NOT_FOUND_OR_NOT_ENABLED: () => ({
    status: 400,
    message: 'The OAuth provider is not found or not enabled.',
  }),
  OAUTH_PROVIDER_ACCESS_DENIED: () => ({
    status: 400,
    message: 'The OAuth provider denied access to the user.',
  }),
  OUTER_OAUTH_TIMEOUT: () => ({
    status: 408,
    message: 'The OAuth flow has timed out. Please sign in again.',
  }),
  INVALID_AUTHORIZATION_CODE: () => ({ status: 400, message: 'The given authorization code is invalid.' }),
  USER_ALREADY_CONNECTED_TO_ANOTHER_OAUTH_CONNECTION: () => ({
    status: 409,
    message:
      'The user is already connected to another OAuth account. Did you maybe selected the wrong account?',
  }),
  ADMIN_ACCESS_TOKEN_EXPIRED: (expiredAt: Date | null) => ({
    status: 401,
    message: `Admin access token has expired. Please refresh it and try again.${expiredAt ? ` (The access token expired at ${expiredAt.toISOString()}.)` : ''}`,
    details: { expired_at_millis: expiredAt?.getTime() ?? null },
  }),
  UNPARSABLE_ADMIN_ACCESS_TOKEN: () => ({ status: 401, message: 'Admin access token is not parsable.' }),
  ADMIN_ACCESS_TOKEN_IS_NOT_ADMIN: () => ({
    status: 401,
    message: 'Admin access token does not have the required permissions to access this project.',
  }),
  EXPECTED_INTERNAL_PROJECT: () => ({ status: 401, message: 'The project ID is expected to be internal.' }),
  USER_ID_DOES_NOT_EXIST: (userId: string) => ({
    status: 400,
    message: `The given user with the ID ${userId} does not exist.`,
    details: { user_id: userId },
  }),
  TEAM_MEMBERSHIP_NOT_FOUND: (teamId: string, userId: string) => ({
    status: 404,
    message: `User ${userId} is not found in team ${teamId}.`,
    details: { team_id: teamId, user_id: userId },
  }),
  TEAM_MEMBERSHIP_ALREADY_EXISTS: () => ({ status: 409, message: 'Team membership already exists.' }),
  TEAM_NOT_FOUND: (teamId: string) => ({
    status: 404,
    message: `Team ${teamId} not found.`,
    details: { team_id: teamId },
  }),
  TEAM_PERMISSION_REQUIRED: (teamId: string, userId: string, permissionId: string) => ({
    status: 401,
    message: `User ${userId} does not have permission ${permissionId} in team ${teamId}.`,
    details: { team_id: teamId, user_id: userId, permission_id: permissionId },
  }),
  TEAM_PERMISSION_NOT_FOUND: (teamId: string, userId: string, permissionId: string) => ({
    status: 401,
    message: `User ${userId} does not have permission ${permissionId} in team ${teamId}.`,
    details: { team_id: teamId, user_id: userId, permission_id: permissionId },
  }),
  PROJECT_PERMISSION_REQUIRED: (userId: string, permissionId: string) => ({
    status: 401,
    message: `User ${userId} does not have permission ${permissionId}.`,
    details: { user_id: userId, permission_id: permissionId },
  }),
  PERMISSION_NOT_FOUND: (permissionId: string) => ({
    status: 404,
    message: `Permission "${permissionId}" not found. Make sure you created it on the dashboard.`,
    details: { permission_id: permissionId },
  }),
  WRONG_PERMISSION_SCOPE: (
    permissionId: string,
    expected: 'team' | 'project',
    actual: 'team' | 'project' | null,
  ) => ({
    status: 404,
    message: `Permission ${JSON.stringify(permissionId)} not found. (It was found for a different scope ${JSON.stringify(actual)}, but scope ${JSON.stringify(expected)} was expected.)`,
    details: { permission_id: permissionId, expected_scope: expected, actual_scope: actual },
  }),
  PERMISSION_ID_ALREADY_EXISTS: (permissionId: string) => ({
    status: 400,
    message: `Permission with ID "${permissionId}" already exists. Choose a different ID.`,
    details: { permission_id: permissionId },
  }),
  CONTAINED_PERMISSION_NOT_FOUND: (permissionId: string) => ({
    status: 400,
    message: `Contained permission with ID "${permissionId}" not found. Make sure you created it on the dashboard.`,
    details: { permission_id: permissionId },
  }),
  TEAM_INVITATION_RESTRICTED_USER_NOT_ALLOWED: (reason: { type: string }) => ({
    status: 403,
    message: `Restricted users cannot accept team invitations. Reason: ${reason.type}. Please complete the onboarding process before accepting team invitations.`,
    details: { restricted_reason: reason },
  }),
  API_KEY_NOT_FOUND: () => ({ status: 404, message: 'API key not found.' }),
  REDIRECT_URL_NOT_WHITELISTED: () => ({
    status: 400,
    message:
      'Redirect URL not whitelisted. Did you forget to add this domain to the trusted domains list on the Stack Auth dashboard?',
  }),
  SIGN_UP_NOT_ENABLED: () => ({
    status: 400,
    message:
      'Creation of new accounts is not enabled for this project. Please ask the project owner to enable it.',
  }),
  PASSWORD_AUTHENTICATION_NOT_ENABLED: () => ({
    status: 400,
    message: 'Password authentication is not enabled for this project.',
  }),
  EMAIL_NOT_VERIFIED: () => ({ status: 400, message: 'The email is not verified.' }),
  OAUTH_EXTRA_SCOPE_NOT_AVAILABLE_WITH_SHARED_OAUTH_KEYS: () => ({
    status: 400,
    message:
      'Extra scopes are not available with shared OAuth keys. Please add your own OAuth keys on the Stack dashboard to use extra scopes.',
  }),
  OAUTH_CONNECTION_ALREADY_CONNECTED_TO_ANOTHER_USER: () => ({
    status: 409,
    message: 'The OAuth connection is already connected to another user.',
  }),
  OAUTH_PROVIDER_TEMPORARILY_UNAVAILABLE: () => ({
    status: 503,
    message: 'The OAuth provider is temporarily unavailable. Please try signing in again.',
  }),
  MULTI_FACTOR_AUTHENTICATION_REQUIRED: (attemptCode: string) => ({
    status: 400,
    message: 'Multi-factor authentication is required for this user.',
    details: { attempt_code: attemptCode },
  }),
  INVALID_TOTP_CODE: () => ({ status: 400, message: 'The TOTP code is invalid. Please try again.' }),
  OAUTH_CONNECTION_NOT_CONNECTED_TO_USER: () => ({
    status: 400,
    message: 'The OAuth connection is not connected to any user.',
  }),
  OAUTH_CONNECTION_DOES_NOT_HAVE_REQUIRED_SCOPE: () => ({
    status: 400,
    message: 'The OAuth connection does not have the required scope.',
  }),
  VERIFICATION_CODE_NOT_FOUND: () => ({
    status: 404,
    message: 'The verification code does not exist for this project.',
  }),
  VERIFICATION_CODE_EXPIRED: () => ({ status: 400, message: 'The verification code has expired.' }),
  VERIFICATION_CODE_ALREADY_USED: () => ({
    status: 409,
    message: 'The verification link has already been used.',
  }),
  VERIFICATION_CODE_MAX_ATTEMPTS_REACHED: () => ({
    status: 400,
    message:
      'The verification code nonce has reached the maximum number of attempts. This code is not valid anymore.',
  }),
  EMAIL_ALREADY_VERIFIED: () => ({ status: 409, message: 'The e-mail is already verified.' }),
  EMAIL_IS_NOT_PRIMARY_EMAIL: (email: string, primaryEmail: string | null) => ({
    status: 400,
    message: `The given e-mail (${email}) must equal the user's primary e-mail (${primaryEmail}).`,
    details: { email, primary_email: primaryEmail },
  }),
  USER_DOES_NOT_HAVE_PASSWORD: () => ({
    status: 400,
    message: 'This user does not have password authentication enabled.',
  }),
  PASSWORD_CONFIRMATION_MISMATCH: () => ({ status: 400, message: 'Passwords do not match.' }),
  CANNOT_DELETE_CURRENT_SESSION: () => ({ status: 400, message: 'Cannot delete the current session.' }),
} satisfies Record<string, (...args: never[]) => Definition>;

export type KnownErrorCode = keyof typeof DEFINITIONS;

export class KnownError extends Error {
  override readonly name = 'KnownError';
  constructor(
    readonly code: KnownErrorCode,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** Upstream's toDescriptiveJson: code, details only when present, then error — always 2-space indented. */
  toBody(): string {
    return JSON.stringify(
      { code: this.code, ...(this.details ? { details: this.details } : {}), error: this.message },
      null,
      2,
    );
  }
}

export function knownError<C extends KnownErrorCode>(
  code: C,
  ...args: Parameters<(typeof DEFINITIONS)[C]>
): KnownError {
  const make = DEFINITIONS[code] as (...a: unknown[]) => Definition;
  const definition = make(...args);
  return new KnownError(code, definition.status, definition.message, definition.details);
}

/** Upstream's StatusError: a plain-text body and no known-error header. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
