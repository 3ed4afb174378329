/**
 * A pass-through in front of the emulator that serves its project with other settings, as upstream projects can be
 * configured: today only `client_user_deletion_enabled: false` (upstream's default), with DELETE /users/me refused
 * for clients the way upstream refuses it. A user never runs this.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestHeaderName } from '../../shared/registry/index.js';

export interface ProjectSettingsProxy {
  readonly url: string;
  /** DELETE /users/me calls it refused. */
  readonly refusedSelfDeletes: number;
  stop(): Promise<void>;
}

const ACCESS_TYPE_NAMES = [
  requestHeaderName('header.access-type', 'stack'),
  requestHeaderName('header.access-type', 'hexclave'),
];

export async function startNoClientDeletionProxy(upstream: string): Promise<ProjectSettingsProxy> {
  let refused = 0;
  const server = http.createServer(async (req, res) => {
    const path = req.url ?? '/';
    const client = ACCESS_TYPE_NAMES.some((name) => req.headers[name] === 'client');
    if (req.method === 'DELETE' && path.startsWith('/api/v1/users/me') && client) {
      refused += 1;
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Client user deletion is not enabled for this project.');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [n, v] of Object.entries(req.headers))
      if (v !== undefined && n !== 'host') headers.set(n, Array.isArray(v) ? v.join(', ') : v);
    const answer = await fetch(new URL(path, upstream), {
      method: req.method,
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      redirect: 'manual',
    });
    let body = await answer.text();
    if (path.startsWith('/api/v1/projects/current') && answer.ok) {
      const project = JSON.parse(body) as { config?: Record<string, unknown> };
      if (project.config) project.config.client_user_deletion_enabled = false;
      body = JSON.stringify(project);
    }
    const out: [string, string][] = answer.headers
      .getSetCookie()
      .map((cookie): [string, string] => ['set-cookie', cookie]);
    answer.headers.forEach((value, name) => {
      if (
        ![
          'set-cookie',
          'content-length',
          'content-encoding',
          'transfer-encoding',
          'connection',
          'keep-alive',
        ].includes(name)
      )
        out.push([name, value]);
    });
    res.writeHead(answer.status, out.flat());
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get refusedSelfDeletes() {
      return refused;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
