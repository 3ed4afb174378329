import pg from 'pg';

/**
 * A connected pg.Client for one short task (a migration, a check, a setup transaction). Postgres stopping under it —
 * Ctrl+C during startup stops the embedded cluster — makes pg emit 'error' on the client, and an 'error' event
 * nobody listens to kills the process with a stack trace instead of the orderly shutdown. The query in flight, or
 * the next one, rejects with the same cause, so the caller still sees the failure where it can handle it.
 */
export async function connectShortClient(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  client.on('error', () => {});
  await client.connect();
  return client;
}
