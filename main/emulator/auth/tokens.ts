import {
  calculateJwkThumbprint,
  decodeJwt,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type pg from 'pg';
import {
  AUDIENCE_SUFFIX,
  acceptedIssuers,
  type IssuerKind,
  issuerFor,
} from '../../../shared/registry/index.js';
import type { CompatMode } from '../context.js';
import { knownError } from '../wire/known-errors.js';

const SIGNING_KEY_STATE = 'signing-key';
const VERIFIED_CACHE_LIMIT = 10_000;
const ALGORITHM = 'ES256';

export type RestrictedReason = {
  readonly type: 'anonymous' | 'email_not_verified' | 'restricted_by_administrator';
};

/** What an access token says about its user (stack-protocol.md §5 claims). */
export interface AccessTokenSubject {
  readonly projectId: string;
  readonly branchId: string;
  readonly userId: string;
  readonly refreshTokenId: string;
  readonly displayName: string | null;
  readonly primaryEmail: string | null;
  readonly primaryEmailVerified: boolean;
  readonly selectedTeamId: string | null;
  readonly signedUpAtMillis: number;
  readonly isAnonymous: boolean;
  readonly isRestricted: boolean;
  readonly restrictedReason: RestrictedReason | null;
  readonly requiresTotpMfa: boolean;
}

export interface VerifiedAccessToken {
  readonly projectId: string;
  readonly branchId: string;
  readonly userId: string;
  readonly refreshTokenId: string | null;
  readonly kind: IssuerKind;
  readonly isAnonymous: boolean;
  readonly isRestricted: boolean;
  readonly restrictedReason: RestrictedReason | null;
}

export interface TokenOptions {
  readonly compat: CompatMode;
  /** Base of the `iss` claim (default: the emulator's own URL, like upstream's NEXT_PUBLIC_STACK_API_URL). */
  readonly issuerBase: string;
  readonly accessTokenTtlSeconds: number;
}

interface StoredKey {
  readonly kid: string;
  readonly privateJwk: JWK;
}

/** The ES256 key pair is made once per database and kept in it, so tokens survive an emulator restart. */
async function loadOrCreateKey(pool: pg.Pool): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = (await calculateJwkThumbprint(privateJwk)).slice(0, 12);
  await pool.query(
    `INSERT INTO "_hexclave_emulator_state" ("key", "value") VALUES ($1, $2) ON CONFLICT ("key") DO NOTHING`,
    [SIGNING_KEY_STATE, { kid, privateJwk }],
  );
  const { rows } = await pool.query<{ value: StoredKey }>(
    `SELECT "value" FROM "_hexclave_emulator_state" WHERE "key" = $1`,
    [SIGNING_KEY_STATE],
  );
  return rows[0]!.value;
}

function tokenKind(subject: { isAnonymous: boolean; isRestricted: boolean }): IssuerKind {
  if (subject.isAnonymous) return 'anonymous';
  return subject.isRestricted ? 'restricted' : 'normal';
}

export class TokenService {
  private constructor(
    private readonly privateKey: CryptoKey | Uint8Array,
    private readonly publicKey: CryptoKey | Uint8Array,
    private readonly publicJwk: JWK,
    readonly kid: string,
    readonly options: TokenOptions,
  ) {}

  static async load(pool: pg.Pool, options: TokenOptions): Promise<TokenService> {
    const stored = await loadOrCreateKey(pool);
    const { d: _private, ...publicJwk } = stored.privateJwk;
    const privateKey = await importJWK(stored.privateJwk, ALGORITHM);
    const publicKey = await importJWK(publicJwk, ALGORITHM);
    return new TokenService(privateKey as CryptoKey, publicKey as CryptoKey, publicJwk, stored.kid, options);
  }

  /** Upstream's JWKS body: `{keys: [{kty, alg, crv, x, y, kid}]}`. */
  jwks(): { keys: JWK[] } {
    const { kty, crv, x, y } = this.publicJwk;
    return { keys: [{ kty, alg: ALGORITHM, crv, x, y, kid: this.kid }] };
  }

  issuer(projectId: string, kind: IssuerKind): string {
    return issuerFor(this.options.issuerBase, projectId, kind);
  }

  async sign(subject: AccessTokenSubject): Promise<string> {
    const kind = tokenKind(subject);
    return new SignJWT({
      project_id: subject.projectId,
      branch_id: subject.branchId,
      refresh_token_id: subject.refreshTokenId,
      role: 'authenticated',
      name: subject.displayName,
      email: subject.primaryEmail,
      email_verified: subject.primaryEmailVerified,
      selected_team_id: subject.selectedTeamId,
      signed_up_at: Math.floor(subject.signedUpAtMillis / 1000),
      is_anonymous: subject.isAnonymous,
      is_restricted: subject.isRestricted,
      restricted_reason: subject.restrictedReason,
      requires_totp_mfa: subject.requiresTotpMfa,
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid })
      .setIssuer(this.issuer(subject.projectId, kind))
      .setAudience(`${subject.projectId}${AUDIENCE_SUFFIX[kind]}`)
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.options.accessTokenTtlSeconds}s`)
      .sign(this.privateKey);
  }

  /**
   * Issuers a backend of this generation accepts: legacy only its own three, dual every variant of both hosted
   * domains plus its own base (hexclave-rename.md §6).
   */
  private acceptedIssuers(projectId: string): Map<string, IssuerKind> {
    const kinds: IssuerKind[] = ['normal', 'anonymous', 'restricted'];
    if (this.options.compat === 'legacy')
      return new Map(kinds.map((kind) => [this.issuer(projectId, kind), kind]));
    return new Map(acceptedIssuers(projectId, [this.options.issuerBase]).map((i) => [i.url, i.kind]));
  }

  /** Verify like upstream's decodeAccessToken: expired → ACCESS_TOKEN_EXPIRED, anything else → UNPARSABLE. */
  /**
   * Tokens already verified, until they expire: an SDK sends the same token for its whole lifetime, and an ES256
   * verify is most of a request's CPU. Only our own successful verdicts are kept; expiry is re-checked on a hit.
   */
  private readonly verified = new Map<
    string,
    { readonly token: VerifiedAccessToken; readonly expiresAtMs: number }
  >();

  async verify(token: string): Promise<VerifiedAccessToken> {
    const cached = this.verified.get(token);
    if (cached && Date.now() < cached.expiresAtMs) return cached.token;
    this.verified.delete(token);
    const result = await this.verifyUncached(token);
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, result);
    return result.token;
  }

  private async verifyUncached(token: string): Promise<{ token: VerifiedAccessToken; expiresAtMs: number }> {
    let audience: string | undefined;
    try {
      const claims = decodeJwt(token);
      audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    } catch {
      throw knownError('UNPARSABLE_ACCESS_TOKEN');
    }
    const projectId = audience?.split(':')[0];
    if (!projectId) throw knownError('UNPARSABLE_ACCESS_TOKEN');
    const issuers = this.acceptedIssuers(projectId);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, {
        algorithms: [ALGORITHM],
        issuer: [...issuers.keys()],
        audience: Object.values(AUDIENCE_SUFFIX).map((suffix) => `${projectId}${suffix}`),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        const claims = error.payload;
        throw knownError(
          'ACCESS_TOKEN_EXPIRED',
          typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
          typeof claims.project_id === 'string' ? claims.project_id : null,
          claims.sub ?? null,
          typeof claims.refresh_token_id === 'string' ? claims.refresh_token_id : null,
        );
      }
      throw knownError('UNPARSABLE_ACCESS_TOKEN');
    }
    const kind = issuers.get(payload.iss as string)!;
    const isAnonymous = payload.is_anonymous === true;
    const isRestricted = payload.is_restricted === true || isAnonymous;
    // The audience, issuer and flags must tell the same story, as upstream checks.
    if (
      audience !== `${projectId}${AUDIENCE_SUFFIX[kind]}` ||
      tokenKind({ isAnonymous, isRestricted }) !== kind
    ) {
      throw knownError('UNPARSABLE_ACCESS_TOKEN');
    }
    const verified: VerifiedAccessToken = {
      projectId,
      branchId: typeof payload.branch_id === 'string' ? payload.branch_id : 'main',
      userId: payload.sub as string,
      refreshTokenId: typeof payload.refresh_token_id === 'string' ? payload.refresh_token_id : null,
      kind,
      isAnonymous,
      isRestricted,
      restrictedReason: (payload.restricted_reason as RestrictedReason | null) ?? null,
    };
    return { token: verified, expiresAtMs: (payload.exp as number) * 1000 };
  }
}
