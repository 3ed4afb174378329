import { useEffect } from 'react';
import type { MailSummary } from '../../../shared/api/mail-schemas.js';
import type { ProjectWithRuntime } from '../../../shared/api/workspace-schemas.js';
import { CopyButton } from '../components/CopyButton.js';
import { ProjectGate } from '../components/ProjectGate.js';
import { EmptyState, ErrorState, LoadingState } from '../components/States.js';
import { formatDateTime, formatNumber } from '../lib/format.js';
import { useMailStore } from '../stores/mail.js';

const KIND_LABELS: Record<string, string> = {
  'email-verification': 'verification',
  'sign-in-code': 'sign-in code',
  'password-reset': 'password reset',
  'team-invitation': 'team invitation',
  custom: 'custom',
};

/** The one thing most worth copying out of an e-mail: its OTP, else its link's code. */
function QuickCopy({ mail }: { mail: MailSummary }) {
  if (mail.codes.otp) return <CopyButton text={mail.codes.otp} label={`Copy ${mail.codes.otp}`} />;
  if (mail.codes.link) return <CopyButton text={mail.codes.link} label="Copy link" />;
  return null;
}

function Mailboxes() {
  const { data, mailbox, selectMailbox } = useMailStore();
  if (!data) return null;
  const total = data.mailboxes.reduce((sum, m) => sum + m.count, 0);
  return (
    <nav aria-label="Mailboxes">
      <ul className="list" data-testid="mailboxes">
        <li>
          <button
            type="button"
            className="list-button"
            aria-current={mailbox === null}
            onClick={() => selectMailbox(null)}
          >
            All mail <span className="muted small-text">{formatNumber(total)}</span>
          </button>
        </li>
        {data.mailboxes.map((m) => (
          <li key={m.mailbox}>
            <button
              type="button"
              className="list-button"
              aria-current={mailbox === m.mailbox}
              onClick={() => selectMailbox(m.mailbox)}
            >
              <code>{m.mailbox}</code>{' '}
              <span className="muted small-text">
                {formatNumber(m.count)}
                {m.unseen > 0 && <strong> · {formatNumber(m.unseen)} unread</strong>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function MessageView() {
  const { data, openId, message, messageError, clear } = useMailStore();
  const summary = data?.messages.find((m) => m.id === openId);
  if (!openId) {
    return (
      <EmptyState title="Pick a message">Its codes, its text and its HTML as sent appear here.</EmptyState>
    );
  }
  if (messageError) return <ErrorState title="Could not open this message" message={messageError} />;
  if (!message) return <LoadingState label={`Opening ${summary?.subject ?? 'the message'}…`} />;
  const { codes } = message;
  return (
    <article className="mail-message" data-testid="mail-message" aria-labelledby="mail-subject">
      <header className="card-header">
        <h2 id="mail-subject">{message.subject}</h2>
        <button
          type="button"
          className="button small"
          onClick={() => void clear({ mailbox: message.mailbox, id: message.id })}
        >
          Delete
        </button>
      </header>
      <dl className="facts">
        <dt>From</dt>
        <dd>{message.from}</dd>
        <dt>To</dt>
        <dd>{message.to}</dd>
        <dt>Received</dt>
        <dd>{formatDateTime(message.receivedAtMillis)}</dd>
        <dt>Kind</dt>
        <dd>{KIND_LABELS[message.kind] ?? message.kind}</dd>
        {message.relayResult && (
          <>
            <dt>SMTP relay</dt>
            <dd className={message.relayResult === 'sent' ? '' : 'error-text'}>{message.relayResult}</dd>
          </>
        )}
      </dl>
      {(codes.otp || codes.link) && (
        <div className="mail-codes" data-testid="mail-codes">
          {codes.otp && (
            <div className="mail-code">
              <span className="muted small-text">Sign-in code</span>
              <code className="mail-otp">{codes.otp}</code>
              <CopyButton text={codes.otp} label="Copy code" />
            </div>
          )}
          {codes.link && (
            <div className="mail-code">
              <span className="muted small-text">Link</span>
              <a className="value" href={codes.link} target="_blank" rel="noreferrer noopener">
                {codes.link}
              </a>
              <CopyButton text={codes.link} label="Copy link" />
              {codes.code && <CopyButton text={codes.code} label="Copy its code parameter" />}
            </div>
          )}
        </div>
      )}
      {message.truncated && (
        <p className="warn-text small-text">This e-mail is longer than the companion shows; it is cut.</p>
      )}
      {message.html && (
        <>
          <h3>As sent (HTML)</h3>
          {/* No scripts, no forms, no same-origin: the e-mail's HTML cannot touch the companion. */}
          <iframe className="mail-html" title="The e-mail as HTML" sandbox="" srcDoc={message.html} />
        </>
      )}
      <h3>Text</h3>
      <pre className="code-block" data-testid="mail-text">
        {message.text || '(no text part)'}
      </pre>
    </article>
  );
}

function Mail({ project }: { project: ProjectWithRuntime }) {
  const { data, state, error, load, mailbox, openId, open, clear, clearError } = useMailStore();
  useEffect(() => {
    void load(project.id);
  }, [load, project.id]);

  if (project.kind !== 'emulator') {
    return (
      <EmptyState title="Only the emulator captures e-mail">
        {project.name} sends its e-mail through its own backend; start a local emulator project to read what
        your app's sign-in, verification and reset flows send.
      </EmptyState>
    );
  }
  if (state === 'loading' || (state === 'idle' && !data))
    return <LoadingState label="Reading the mailbox…" />;
  if (state === 'error' && !data) {
    return (
      <ErrorState
        title="Could not read the mailbox"
        message={error ?? ''}
        onRetry={() => void load(project.id)}
      />
    );
  }
  if (!data) return null;
  return (
    <div className="mail-browser">
      <section className="card" aria-labelledby="mailboxes-title">
        <h2 id="mailboxes-title">Mailboxes</h2>
        <Mailboxes />
      </section>
      <section className="card" aria-labelledby="messages-title">
        <header className="card-header">
          <h2 id="messages-title">{mailbox ? <code>{mailbox}</code> : 'All mail'}</h2>
          <button
            type="button"
            className="button small"
            disabled={data.messages.length === 0}
            onClick={() => void clear(mailbox ? { mailbox } : {})}
          >
            {mailbox ? 'Clear this mailbox' : 'Clear all mail'}
          </button>
        </header>
        {clearError && <p className="error-text">{clearError}</p>}
        {data.messages.length === 0 ? (
          <EmptyState title="No mail yet">
            Sign in with a code or magic link, reset a password or verify an address in your app: what the
            emulator sends lands here.
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="grid compact" data-testid="mail-list">
              <thead>
                <tr>
                  <th>Received</th>
                  <th>To</th>
                  <th>Subject</th>
                  <th>Copy</th>
                </tr>
              </thead>
              <tbody>
                {data.messages.map((mail) => (
                  <tr
                    key={mail.id}
                    tabIndex={0}
                    aria-selected={mail.id === openId}
                    className={mail.seen ? '' : 'unseen'}
                    onClick={() => void open(mail.mailbox, mail.id)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') void open(mail.mailbox, mail.id);
                    }}
                  >
                    <td>{formatDateTime(mail.receivedAtMillis)}</td>
                    <td className="mail-to">{mail.to}</td>
                    <td>
                      {mail.subject} <span className="pill muted">{KIND_LABELS[mail.kind] ?? mail.kind}</span>
                    </td>
                    {/* The copy button must not also open the row. */}
                    <td onClick={(event) => event.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
                      <QuickCopy mail={mail} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.messages.length >= data.listLimit && (
              <p className="muted small-text">Showing the newest {formatNumber(data.listLimit)} messages.</p>
            )}
          </div>
        )}
      </section>
      <section className="card" aria-label="Message">
        <MessageView />
      </section>
    </div>
  );
}

export function MailScreen() {
  return (
    <section className="screen" aria-labelledby="mail-title">
      <header className="screen-header">
        <h1 id="mail-title">Mail</h1>
        <p className="muted">
          Every e-mail the local emulator sent: sign-in codes, magic links, verification and password reset.
        </p>
      </header>
      <ProjectGate needsRunning={true}>{(project) => <Mail project={project} />}</ProjectGate>
    </section>
  );
}
