import { createHash } from 'node:crypto';

/** What the built-in identity provider says about the person who approved the consent page. */
export interface MockIdentity {
  readonly accountId: string;
  readonly email: string;
  readonly displayName: string | null;
}

/** The same e-mail always maps to the same provider account, so signing in twice finds the same user. */
export function mockIdentity(provider: string, email: string, displayName: string | null): MockIdentity {
  const normalized = email.trim().toLowerCase();
  const accountId = createHash('sha256').update(`${provider}:${normalized}`).digest('hex').slice(0, 20);
  return { accountId, email: normalized, displayName };
}

/** The mock provider's authorization code is the identity itself (base64url JSON): nothing to store. */
export function encodeMockCode(identity: MockIdentity): string {
  return Buffer.from(JSON.stringify(identity)).toString('base64url');
}

export function decodeMockCode(code: string): MockIdentity | null {
  try {
    const value = JSON.parse(Buffer.from(code, 'base64url').toString('utf8')) as Partial<MockIdentity>;
    if (typeof value.accountId !== 'string' || typeof value.email !== 'string') return null;
    return { accountId: value.accountId, email: value.email, displayName: value.displayName ?? null };
  } catch {
    return null;
  }
}
