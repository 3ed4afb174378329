import type { TrafficDetail } from '../../../../shared/api/workspace-schemas.js';
import { formatRelativeSeconds } from '../../lib/format.js';

type Token = TrafficDetail['tokens'][number];

const SIGNATURE_TONE = { valid: 'ok', invalid: 'error', 'not-checked': 'not-checked' } as const;
const SIGNATURE_WORD = { valid: 'valid', invalid: 'invalid', 'not-checked': 'not checked' } as const;

/** A decoded JWT: signature and issuer verdicts, expiry relative to now, clock-skew warning, then its claims. */
export function TokenCard({ token }: { token: Token }) {
  const expired = token.expiresInSec !== null && token.expiresInSec < 0;
  return (
    <div className="token" data-testid="token">
      <p>
        <strong>{token.where}</strong>{' '}
        <span className={`pill ${SIGNATURE_TONE[token.signature]}`} data-testid="token-signature">
          signature {SIGNATURE_WORD[token.signature]}
        </span>{' '}
        {token.expiresInSec !== null && (
          <span className={`pill ${expired ? 'error' : 'ok'}`}>
            {expired ? 'expired' : 'expires'} {formatRelativeSeconds(token.expiresInSec)}
          </span>
        )}
      </p>
      {token.signatureDetail && <p className="muted small-text">{token.signatureDetail}</p>}
      <p className="small-text">Issuer: {token.issuerVerdict}</p>
      {token.skewWarning && <p className="warn-text small-text">{token.skewWarning}</p>}
      <details>
        <summary>Header and claims</summary>
        <pre className="code-block">
          {JSON.stringify({ header: token.header, claims: token.claims }, null, 2)}
        </pre>
      </details>
    </div>
  );
}
