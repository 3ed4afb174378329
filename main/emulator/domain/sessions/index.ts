/** Sessions: refresh tokens (ProjectUserRefreshToken rows) and the ES256 access tokens signed for them. */
export type { SessionSummary } from './list.js';
export { endUserSessions, findSessionById, listSessions } from './list.js';
export type { IssuedTokens, SessionRow, SessionSigner } from './refresh-tokens.js';
export { accessTokenFor, endSession, findSession, startSession, tokenSubject } from './refresh-tokens.js';
export type { AccessTokenSubject, TokenOptions, VerifiedAccessToken } from './tokens.js';
export { TokenService } from './tokens.js';
