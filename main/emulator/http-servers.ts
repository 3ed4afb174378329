import { createAdaptorServer } from '@hono/node-server';
import { EmulatorStartError } from './database.js';

/**
 * The emulator's HTTP servers: the API's, and the side servers that sit on upstream's development ports (the
 * identity provider, the webhooks API, image storage), each bound before Postgres starts so a taken port fails
 * fast, and answering 503 until the emulator is ready.
 */
export type Server = ReturnType<typeof createAdaptorServer>;

export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Bind first, so a taken port fails fast, before Postgres is started; requests get 503 until ready. */
export function listen(
  host: string,
  port: number,
  fetch: (request: Request) => Response | Promise<Response>,
  flag = '--port',
): Promise<Server> {
  const server = createAdaptorServer({ fetch });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new EmulatorStartError(
            `Port ${port} on ${host} is already in use. Pick another ${flag}, or 0 for any free port.`,
          ),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(
          new EmulatorStartError(`Cannot listen on host "${host}": it is not an address of this machine.`),
        );
      } else {
        reject(error);
      }
    });
    server.listen(port, host, () => resolve(server));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

export type Handler = (request: Request) => Response | Promise<Response>;

export const starting: Handler = () =>
  new Response('The emulator is starting.', { status: 503, headers: { 'retry-after': '1' } });

/**
 * A side server (the identity provider, the webhooks API, image storage) on a port of its own: the forced port (taken → a start
 * error), else the preferred one when it is free (else none: the caller mounts it on the emulator's port and says
 * so), else none. Requests go to `handler()` as it is at the time, so the real app can replace the 503 later.
 */
export async function listenBeside(
  host: string,
  forced: number | null,
  preferred: number | null,
  flag: string,
  note: (port: number) => string,
  handler: () => Handler,
): Promise<{ server?: Server; note?: string }> {
  if (forced !== null) return { server: await listen(host, forced, (request) => handler()(request), flag) };
  if (preferred === null) return {};
  const server = await listen(host, preferred, (request) => handler()(request)).catch(() => undefined);
  // Said once the emulator is up: a start that fails for another reason keeps its one-line error.
  return server ? { server } : { note: note(preferred) };
}
