import { createECDH, createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, errors, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type pg from 'pg';
import {
  AUDIENCE_SUFFIX,
  acceptedIssuers,
  type IssuerKind,
  issuerFor,
} from '../../../../shared/registry/index.js';
import type { CompatMode } from '../../compat.js';
import { knownError } from '../../errors/index.js';
import type { RestrictedReason } from '../users/index.js';

const JWK_SECRET_STATE = 'jwk-secret';
const VERIFIED_CACHE_LIMIT = 10_000;
const ALGORITHM = 'ES256';
/** Two keys per audience, as upstream publishes them: the one that signs, and the previous generation. */
const GENERATIONS = ['current', 'previous'] as const;
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

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

interface AudienceKey {
  readonly kid: string;
  readonly publicJwk: JWK;
  readonly privateKey: CryptoKey | Uint8Array;
}

/** One secret per database, so keys (and tokens) survive an emulator restart. */
async function loadOrCreateSecret(pool: pg.Pool): Promise<Buffer> {
  await pool.query(
    `INSERT INTO "_hexclave_emulator_state" ("key", "value") VALUES ($1, to_jsonb($2::text)) ON CONFLICT ("key") DO NOTHING`,
    [JWK_SECRET_STATE, randomBytes(32).toString('base64url')],
  );
  const { rows } = await pool.query<{ value: string }>(
    `SELECT "value" #>> '{}' AS "value" FROM "_hexclave_emulator_state" WHERE "key" = $1`,
    [JWK_SECRET_STATE],
  );
  return Buffer.from(rows[0]!.value, 'base64url');
}

/** A P-256 key pair derived from the secret for one (generation, audience): a valid scalar by rehashing. */
async function deriveKey(secret: Buffer, generation: string, audience: string): Promise<AudienceKey> {
  let scalar = createHash('sha256').update(secret).update(`\0${generation}\0${audience}`).digest();
  while (BigInt(`0x${scalar.toString('hex')}`) >= P256_ORDER || scalar.every((b) => b === 0)) {
    scalar = createHash('sha256').update(scalar).digest();
  }
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey();
  const publicJwk: JWK = {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
  };
  const kid = createHash('sha256')
    .update(secret)
    .update(`\0kid\0${generation}\0${audience}`)
    .digest('base64url')
    .slice(0, 12);
  const privateKey = await importJWK({ ...publicJwk, d: scalar.toString('base64url') }, ALGORITHM);
  return { kid, publicJwk, privateKey: privateKey as CryptoKey };
}

function tokenKind(subject: { isAnonymous: boolean; isRestricted: boolean }): IssuerKind {
  if (subject.isAnonymous) return 'anonymous';
  return subject.isRestricted ? 'restricted' : 'normal';
}

export class TokenService {
  /** Derived keys per audience (`<id>`, `<id>:restricted`, `<id>:anon`), made on first use. */
  private readonly keys = new Map<string, Promise<readonly AudienceKey[]>>();

  private constructor(
    private readonly secret: Buffer,
    readonly options: TokenOptions,
  ) {}

  static async load(pool: pg.Pool, options: TokenOptions): Promise<TokenService> {
    return new TokenService(await loadOrCreateSecret(pool), options);
  }

  /** Upstream's per-audience keys: every audience has its own pair, so a token verifies only for its own kind. */
  private audienceKeys(audience: string): Promise<readonly AudienceKey[]> {
    let keys = this.keys.get(audience);
    if (!keys) {
      // Audiences come from unverified tokens too: bound what they can make us remember.
      if (this.keys.size >= VERIFIED_CACHE_LIMIT) this.keys.clear();
      keys = Promise.all(GENERATIONS.map((generation) => deriveKey(this.secret, generation, audience)));
      this.keys.set(audience, keys);
    }
    return keys;
  }

  /** The key that signs an audience's tokens (tests use it to forge tokens with other claims). */
  async signingKey(audience: string): Promise<{ kid: string; privateKey: CryptoKey | Uint8Array }> {
    const [current] = await this.audienceKeys(audience);
    return { kid: current!.kid, privateKey: current!.privateKey };
  }

  /**
   * Upstream's JWKS body `{keys: [{kty, alg, crv, x, y, kid}]}`: the normal audience's two keys, plus the
   * restricted (and, for anonymous, both) audiences' when asked.
   */
  async jwks(
    projectId: string,
    include: { restricted: boolean; anonymous: boolean },
  ): Promise<{ keys: JWK[] }> {
    const kinds: IssuerKind[] = ['normal'];
    if (include.restricted || include.anonymous) kinds.push('restricted');
    if (include.anonymous) kinds.push('anonymous');
    const keys = await Promise.all(
      kinds.map((kind) => this.audienceKeys(`${projectId}${AUDIENCE_SUFFIX[kind]}`)),
    );
    return {
      keys: keys
        .flat()
        .map(({ kid, publicJwk: { kty, crv, x, y } }) => ({ kty, alg: ALGORITHM, crv, x, y, kid })),
    };
  }

  issuer(projectId: string, kind: IssuerKind): string {
    return issuerFor(this.options.issuerBase, projectId, kind);
  }

  async sign(subject: AccessTokenSubject): Promise<string> {
    const kind = tokenKind(subject);
    const audience = `${subject.projectId}${AUDIENCE_SUFFIX[kind]}`;
    const [signing] = await this.audienceKeys(audience);
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
      .setProtectedHeader({ alg: ALGORITHM, kid: signing!.kid })
      .setIssuer(this.issuer(subject.projectId, kind))
      .setAudience(audience)
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.options.accessTokenTtlSeconds}s`)
      .sign(signing!.privateKey);
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

  /**
   * Tokens already verified, until they expire: an SDK sends the same token for its whole lifetime, and an ES256
   * verify is most of a request's CPU. Only our own successful verdicts are kept; expiry is re-checked on a hit.
   */
  private readonly verified = new Map<
    string,
    { readonly token: VerifiedAccessToken; readonly expiresAtMs: number }
  >();

  /** Verify like upstream's decodeAccessToken: expired → ACCESS_TOKEN_EXPIRED, anything else → UNPARSABLE. */
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
    const knownAudience = Object.values(AUDIENCE_SUFFIX).some(
      (suffix) => audience === `${projectId}${suffix}`,
    );
    if (!audience || !projectId || !knownAudience) throw knownError('UNPARSABLE_ACCESS_TOKEN');
    const issuers = this.acceptedIssuers(projectId);
    const keySet = createLocalJWKSet({
      keys: (await this.audienceKeys(audience)).map(({ kid, publicJwk }) => ({
        ...publicJwk,
        kid,
        alg: ALGORITHM,
      })),
    });
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
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
