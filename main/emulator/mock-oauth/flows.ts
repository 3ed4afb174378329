import { randomBytes } from 'node:crypto';

/** Who signed in on the mock provider's page: the login is the account id and the e-mail, as upstream's mock. */
export interface MockAccount {
  readonly sub: string;
  readonly name: string | null;
}

/** An authorization request as the client sent it to `/auth`, after the client and redirect URI were checked. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly state: string | null;
  readonly nonce: string | null;
  readonly codeChallenge: string;
}

export interface Interaction {
  readonly request: AuthorizationRequest;
  readonly prompt: 'login' | 'consent';
  account: MockAccount | null;
  consented: boolean;
  denied: boolean;
}

export interface IssuedCode {
  readonly request: AuthorizationRequest;
  readonly account: MockAccount;
}

export interface IssuedToken {
  readonly clientId: string;
  readonly scope: string;
  readonly account: MockAccount;
}

/** Upstream's provider keeps an interaction 1 hour and a code 1 minute; tokens here live 1 hour, refresh 1 day. */
export const LIFETIME_SECONDS = { interaction: 3600, code: 60, accessToken: 3600, refreshToken: 86_400 };
/** Each table is capped so a loop hammering `/auth` cannot grow the emulator's memory without bound. */
const MAX_ENTRIES = 10_000;

/** A map whose entries expire, oldest evicted first when full. In memory: flows do not survive a restart. */
export class ExpiringMap<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly lifetimeSeconds: number) {}

  set(key: string, value: T): void {
    this.sweep();
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: Date.now() + this.lifetimeSeconds * 1000 });
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Read and remove: codes and interactions are single-use. */
  take(key: string): T | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

/** Opaque ids and tokens: 32 random bytes, base64url. */
export const randomToken = () => randomBytes(32).toString('base64url');

/** The provider's whole state: interactions by uid, codes, access and refresh tokens. */
export class FlowStore {
  readonly interactions = new ExpiringMap<Interaction>(LIFETIME_SECONDS.interaction);
  readonly codes = new ExpiringMap<IssuedCode>(LIFETIME_SECONDS.code);
  readonly accessTokens = new ExpiringMap<IssuedToken>(LIFETIME_SECONDS.accessToken);
  readonly refreshTokens = new ExpiringMap<IssuedToken>(LIFETIME_SECONDS.refreshToken);

  startInteraction(
    request: AuthorizationRequest,
    prompt: Interaction['prompt'],
    account: MockAccount | null,
  ) {
    const uid = randomBytes(16).toString('base64url');
    this.interactions.set(uid, { request, prompt, account, consented: false, denied: false });
    return uid;
  }
}
