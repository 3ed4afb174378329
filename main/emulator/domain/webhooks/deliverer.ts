import pg from 'pg';
import { redactSecretsInText } from '../../../../shared/redact.js';
import { WEBHOOK_CHANNEL } from './events.js';
import { signatureHeaders } from './signature.js';
import { AttemptStatus } from './store.js';

/** Svix gives an endpoint 15 s to answer. */
const DELIVERY_TIMEOUT_MS = 15_000;
/** How much of an endpoint's answer an attempt keeps. */
const RESPONSE_BYTE_CAP = 4096;
const BATCH = 20;
const RECONNECT_MS = 1000;

interface ClaimedAttempt {
  readonly id: string;
  readonly messageId: string;
  readonly url: string;
  readonly secret: string;
  readonly body: string;
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < RESPONSE_BYTE_CAP) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, RESPONSE_BYTE_CAP).toString('utf8');
}

function failureReason(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } })?.cause;
  if (error instanceof Error && error.name === 'TimeoutError')
    return `No answer within ${DELIVERY_TIMEOUT_MS / 1000}s.`;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Delivers queued attempts: woken by the notification each queued attempt sends at commit (and once at start, for
 * what an earlier run left queued), it claims pending attempts, POSTs each message to its endpoint signed as Svix
 * signs, and records the outcome: 2xx is a success, anything else — another status, a refused connection, a
 * timeout — a failure with the status code (0 without one) and the answer or the error. One attempt per message
 * and endpoint, no automatic retries (Svix's first retry is 5 s later; re-deliver with the API's resend). Runs
 * beside the API, so a slow or dead endpoint never delays or fails the request that caused the event.
 */
export class WebhookDeliverer {
  private listener: pg.Client | null = null;
  private stopped = false;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly inFlight = new AbortController();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly databaseUrl: string,
    private readonly log: (line: string) => void,
  ) {}

  static async start(pool: pg.Pool, databaseUrl: string, log: (line: string) => void) {
    const deliverer = new WebhookDeliverer(pool, databaseUrl, log);
    // Attempts a stopped or killed run was sending go out again.
    await pool.query(`UPDATE "_hexclave_webhook_attempt" SET "status" = $1 WHERE "status" = $2`, [
      AttemptStatus.pending,
      AttemptStatus.sending,
    ]);
    await deliverer.listen();
    deliverer.wake();
    return deliverer;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('error', (error) => {
      if (this.stopped || this.listener !== client) return;
      this.log(
        `Webhook delivery lost its database connection (${redactSecretsInText(error.message)}); reconnecting.`,
      );
      this.listener = null;
      client.end().catch(() => {});
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        if (!this.stopped)
          this.listen().then(
            () => this.wake(),
            () => {},
          );
      }, RECONNECT_MS);
    });
    client.on('notification', (note) => {
      if (note.channel === WEBHOOK_CHANNEL) this.wake();
    });
    await client.connect();
    await client.query(`LISTEN ${WEBHOOK_CHANNEL}`);
    this.listener = client;
  }

  /** Deliver everything queued; a wake-up during a drain runs one more. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = (async () => {
      do {
        this.drainAgain = false;
        try {
          while (!this.stopped && (await this.deliverBatch()) > 0);
        } catch (error) {
          if (!this.stopped)
            this.log(`Webhook delivery failed: ${redactSecretsInText(failureReason(error))}`);
        }
      } while (this.drainAgain && !this.stopped);
      this.draining = null;
    })();
  }

  private async deliverBatch(): Promise<number> {
    const { rows } = await this.pool.query<ClaimedAttempt>(
      `WITH claimed AS (
         UPDATE "_hexclave_webhook_attempt" SET "status" = $1
         WHERE "id" IN (SELECT "id" FROM "_hexclave_webhook_attempt" WHERE "status" = $2
                        ORDER BY "seq" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING "id", "messageId", "endpointId", "url"
       )
       SELECT c."id", c."messageId", c."url", e."secret", m."payload"::text AS "body"
       FROM claimed c
       JOIN "_hexclave_webhook_endpoint" e ON e."id" = c."endpointId"
       JOIN "_hexclave_webhook_message" m ON m."id" = c."messageId"`,
      [AttemptStatus.sending, AttemptStatus.pending],
    );
    await Promise.all(rows.map((attempt) => this.deliver(attempt)));
    return rows.length;
  }

  private async deliver(attempt: ClaimedAttempt): Promise<void> {
    const started = performance.now();
    let status: number = AttemptStatus.fail;
    let code = 0;
    let answer = '';
    try {
      const response = await fetch(attempt.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Svix-Webhooks/1.0 (hexclave-companion emulator)',
          ...signatureHeaders(attempt.secret, attempt.messageId, attempt.body),
        },
        body: attempt.body,
        redirect: 'manual',
        signal: AbortSignal.any([this.inFlight.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      code = response.status;
      answer = await readCapped(response).catch(() => '');
      if (code >= 200 && code < 300) status = AttemptStatus.success;
    } catch (error) {
      answer = this.stopped ? 'The emulator stopped during delivery.' : failureReason(error);
    }
    await this.pool
      .query(
        `UPDATE "_hexclave_webhook_attempt"
         SET "status" = $2, "responseStatusCode" = $3, "response" = $4, "responseDurationMs" = $5
         WHERE "id" = $1`,
        [attempt.id, status, code, answer, Math.round(performance.now() - started)],
      )
      .catch(() => {});
  }

  /** Stop listening, abort deliveries in flight and wait until their outcomes are recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.inFlight.abort();
    await this.listener?.end().catch(() => {});
    this.listener = null;
    await this.draining;
  }
}
