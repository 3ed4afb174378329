import type { TrafficDetail } from '../../../../shared/api/workspace-schemas.js';
import { SEVERITY_LABEL } from '../../../../shared/checker/finding.js';
import { formatDateTime, formatMs } from '../../lib/format.js';
import { withKeys } from '../../lib/keys.js';
import { CopyButton } from '../CopyButton.js';
import { HeaderPairs, RawHeaders } from './HeaderPairs.js';
import { TokenCard } from './TokenCard.js';

function Body({ title, body }: { title: string; body: string | null }) {
  if (!body) return null;
  let pretty = body;
  try {
    pretty = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Not JSON: show it as it came.
  }
  return (
    <details>
      <summary>{title}</summary>
      <pre className="code-block">{pretty}</pre>
    </details>
  );
}

const SOURCE_WORDS: Record<TrafficDetail['source'], string> = {
  proxy: 'the capture proxy',
  overlay: 'the in-page dev tool',
  window: 'the app window',
  probe: 'a probe run',
};

/** Which capturers saw this request; the headers and bodies below are the first one's (it sees the most). */
function Sightings({ detail }: { detail: TrafficDetail }) {
  return (
    <p className="small-text" data-testid="traffic-sightings">
      Seen by{' '}
      {withKeys(detail.sightings, (s) => s.source).map(([key, sighting], i) => (
        <span key={key} data-testid="traffic-sighting" data-source={sighting.source}>
          {i > 0 && ' and '}
          <strong>{SOURCE_WORDS[sighting.source]}</strong>
          {sighting.worst ? (
            <span className="muted">
              {' '}
              ({sighting.findingCount} finding{sighting.findingCount === 1 ? '' : 's'}, worst{' '}
              {SEVERITY_LABEL[sighting.worst]})
            </span>
          ) : (
            <span className="muted"> (no finding)</span>
          )}
        </span>
      ))}
      {detail.sightings.length > 1 && (
        <span className="muted">
          ; one verdict for the request, headers and bodies as {SOURCE_WORDS[detail.source]} saw them.
        </span>
      )}
    </p>
  );
}

export function ExchangeDetail({
  detail,
  onExportHar,
  loadCurlWithSecrets,
}: {
  detail: TrafficDetail;
  onExportHar: () => void;
  loadCurlWithSecrets: () => Promise<string>;
}) {
  return (
    <div className="exchange-detail" data-testid="traffic-detail">
      <header>
        <h2>
          <span className="pill">{detail.method}</span> <span className="url">{detail.url}</span>
        </h2>
        <p className="muted small-text">
          #{detail.seq} · {detail.status ?? 'no response'} · {formatMs(detail.durationMs)} · {detail.family}{' '}
          SDK family · {formatDateTime(detail.startedAt)}
          {detail.pageUrl && <> · page {detail.pageUrl}</>}
        </p>
        <Sightings detail={detail} />
        <div className="actions">
          <CopyButton
            text={detail.curl}
            label="Copy as cURL"
            testId="copy-curl"
            title={
              detail.curlNeeds.length > 0
                ? `Secrets are redacted: the command reads ${detail.curlNeeds.map((n) => `$${n}`).join(', ')}`
                : 'The request as a curl command'
            }
          />
          {detail.curlNeeds.length > 0 && (
            <CopyButton
              text={loadCurlWithSecrets}
              label="Copy with secrets"
              testId="copy-curl-secrets"
              title="The same command with the tokens, keys and passwords in it: do not paste it anywhere shared"
            />
          )}
          <button type="button" className="button small" onClick={onExportHar}>
            Export HAR
          </button>
        </div>
        {detail.curlNeeds.length > 0 && (
          <p className="muted small-text" data-testid="curl-needs">
            Copy as cURL leaves secrets out: export {detail.curlNeeds.map((n) => `$${n}`).join(', ')} before
            running it, or use Copy with secrets.
          </p>
        )}
      </header>

      {detail.findings.length > 0 && (
        <section aria-label="Findings">
          <h3>Findings</h3>
          <ul className="findings-list">
            {withKeys(detail.findings, (f) => `${f.ruleId}:${f.message}`).map(([key, finding]) => (
              <li key={key}>
                <span className={`pill ${finding.severity}`}>{SEVERITY_LABEL[finding.severity]}</span>{' '}
                {finding.message}
                <div className="muted small-text">
                  expected {finding.expected}; got {finding.actual}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}

      <HeaderPairs
        title="Request headers, stack ↔ hexclave"
        rows={detail.requestPairs}
        testId="request-pairs"
      />
      <HeaderPairs
        title="Response headers, stack ↔ hexclave"
        rows={detail.responsePairs}
        testId="response-pairs"
      />
      <RawHeaders title="All request headers" headers={detail.requestHeaders} />
      <RawHeaders title="All response headers" headers={detail.responseHeaders} />

      <section aria-label="Cookies">
        <h3>Cookies</h3>
        {detail.cookies.length === 0 ? (
          <p className="muted">No cookies sent or set.</p>
        ) : (
          <table className="grid compact">
            <thead>
              <tr>
                <th>Cookie</th>
                <th>Direction</th>
                <th>Twin</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {withKeys(detail.cookies, (c) => `${c.direction}:${c.name}`).map(([key, cookie]) => (
                <tr key={key}>
                  <td>
                    <code>{cookie.name}</code>
                  </td>
                  <td>{cookie.direction}</td>
                  <td>{cookie.twin ? <code>{cookie.twin}</code> : <span className="muted">none</span>}</td>
                  <td className="value">{cookie.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Tokens">
        <h3>Tokens</h3>
        {detail.tokens.length === 0 ? (
          <p className="muted">No tokens in this exchange.</p>
        ) : (
          withKeys(detail.tokens, (t) => t.where).map(([key, token]) => <TokenCard key={key} token={token} />)
        )}
      </section>

      <Body title="Request body" body={detail.requestBody} />
      <Body title="Response body" body={detail.responseBody} />
    </div>
  );
}
