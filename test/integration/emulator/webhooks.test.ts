import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as newSdk from 'stack-sdk-new';
import * as oldSdk from 'stack-sdk-old';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatMode, RunningEmulator } from '../../../main/emulator/index.js';
import { apiFetch, setupTestEmulator, startTestEmulator } from '../../helpers/emulator.js';
import { waitUntil } from '../../helpers/wait.js';

interface Delivery {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver on loopback: answers `status` (or never, when `hang`), keeps what it got. */
async function startReceiver(options: { status?: number; hang?: boolean } = {}) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      deliveries.push({ path: request.url ?? '', headers: request.headers, body });
      if (!options.hang) response.writeHead(options.status ?? 200).end('received');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on: bound, then closed. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/webhook`;
}

/** Standard Webhooks verification, written from Svix's documentation (the `svix` package is not a dependency). */
function verifySvixSignature(secret: string, delivery: Delivery): boolean {
  const id = String(delivery.headers['svix-id']);
  const timestamp = String(delivery.headers['svix-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${delivery.body}`).digest();
  return String(delivery.headers['svix-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

interface SvixList<T> {
  data: T[];
  iterator: string | null;
  done: boolean;
}
interface SvixMessage {
  id: string;
  eventType: string;
  eventId: string | null;
  payload: { type: string; data: Record<string, unknown> };
  channels: string[] | null;
  timestamp: string;
}
interface SvixAttempt {
  id: string;
  msgId: string;
  endpointId: string;
  status: number;
  responseStatusCode: number;
  response: string;
}

/** A client of the emulator's Svix-compatible API, as upstream's e2e helpers use it. */
function svix(emulator: RunningEmulator, token: string, projectId = emulator.projectId) {
  const call = async (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.svixUrl}/api/v1/app/${projectId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const read = async <T>(path: string) => {
    const response = await call('GET', path);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  return {
    call,
    async createEndpoint(url: string): Promise<{ id: string; secret: string }> {
      const response = await call('POST', '/endpoint', { url });
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };
      const { key } = await read<{ key: string }>(`/endpoint/${id}/secret`);
      return { id, secret: key };
    },
    attempts: (endpointId: string) => read<SvixList<SvixAttempt>>(`/attempt/endpoint/${endpointId}`),
    message: (id: string) => read<SvixMessage>(`/msg/${id}?with_content=true`),
    messages: () => read<SvixList<SvixMessage>>('/msg?limit=250'),
  };
}

async function svixToken(emulator: RunningEmulator, family: 'stack' | 'hexclave'): Promise<string> {
  const response = await apiFetch(emulator, '/webhooks/svix-token', {
    method: 'POST',
    access: 'admin',
    family,
    body: {},
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: webhooks', (compat) => {
  const emulator = setupTestEmulator({ compat });
  // In legacy mode only stack names exist; dual mode is driven with the new names.
  const family = compat === 'dual' ? 'hexclave' : 'stack';
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let api: ReturnType<typeof svix>;
  let token: string;
  let live: { id: string; secret: string };
  let dead: { id: string; secret: string };

  beforeAll(async () => {
    receiver = await startReceiver();
    token = await svixToken(emulator(), family);
    api = svix(emulator(), token);
    live = await api.createEndpoint(`${receiver.url}/hooks`);
    dead = await api.createEndpoint(await deadUrl());
  });
  afterAll(async () => {
    await receiver?.close();
  });

  const server = (path: string, method: string, body?: unknown) =>
    apiFetch(emulator(), path, { method, access: 'server', family, body });

  /** The delivery of `type` whose data matches, once it arrived; signed with the live endpoint's secret. */
  const delivered = async (type: string, match: (data: Record<string, unknown>) => boolean) => {
    const found = await waitUntil(
      () =>
        receiver.deliveries.filter((d) => {
          const body = JSON.parse(d.body) as { type: string; data: Record<string, unknown> };
          return body.type === type && match(body.data);
        }),
      (list) => list.length > 0,
      `a ${type} delivery`,
      10_000,
    );
    expect(found).toHaveLength(1);
    const delivery = found[0]!;
    expect(delivery.path).toBe('/hooks');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['svix-id']).toMatch(/^msg_[0-9a-zA-Z]{27}$/);
    expect(verifySvixSignature(live.secret, delivery)).toBe(true);
    // A signature made with another endpoint's secret, or over another body, is refused.
    expect(verifySvixSignature(dead.secret, delivery)).toBe(false);
    expect(verifySvixSignature(live.secret, { ...delivery, body: `${delivery.body} ` })).toBe(false);
    return JSON.parse(delivery.body) as { type: string; data: Record<string, unknown> };
  };

  it('user.created / updated / deleted carry upstream’s payloads, signed as Svix signs', async () => {
    const created = await server('/users', 'POST', { primary_email: `hooked-${compat}@example.com` });
    expect(created.status).toBe(201);
    const user = (await created.json()) as Record<string, unknown>;
    const id = user.id as string;
    expect((await delivered('user.created', (d) => d.id === id)).data).toEqual(user);

    const updated = await server(`/users/${id}`, 'PATCH', { display_name: 'Hooked User' });
    expect(updated.status).toBe(200);
    const updatedUser = (await updated.json()) as Record<string, unknown>;
    expect((await delivered('user.updated', (d) => d.id === id)).data).toEqual(updatedUser);

    expect((await server(`/users/${id}`, 'DELETE')).status).toBe(200);
    expect((await delivered('user.deleted', (d) => d.id === id)).data).toEqual({ id, teams: [] });
  });

  it('team, membership and team-permission events fire where upstream fires them', async () => {
    const userId = (
      (await (await server('/users', 'POST', { primary_email: `member-${compat}@example.com` })).json()) as {
        id: string;
      }
    ).id;
    const created = await server('/teams', 'POST', { display_name: 'Hooked Team' });
    expect(created.status).toBe(201);
    const team = (await created.json()) as Record<string, unknown>;
    const teamId = team.id as string;
    expect((await delivered('team.created', (d) => d.id === teamId)).data).toEqual(team);

    const renamed = await server(`/teams/${teamId}`, 'PATCH', { display_name: 'Renamed Team' });
    expect((await delivered('team.updated', (d) => d.id === teamId)).data).toEqual(await renamed.json());

    expect((await server(`/team-memberships/${teamId}/${userId}`, 'POST', {})).status).toBe(201);
    const membership = { team_id: teamId, user_id: userId };
    expect((await delivered('team_membership.created', (d) => d.team_id === teamId)).data).toEqual(
      membership,
    );
    // A new member's default permissions are announced one by one, as upstream's memberships CRUD does.
    await delivered('team_permission.created', (d) => d.team_id === teamId && d.id === 'team_member');

    const grant = { id: '$update_team', team_id: teamId, user_id: userId };
    expect((await server(`/team-permissions/${teamId}/${userId}/$update_team`, 'POST', {})).status).toBe(201);
    expect((await delivered('team_permission.created', (d) => d.id === '$update_team')).data).toEqual(grant);
    expect((await server(`/team-permissions/${teamId}/${userId}/$update_team`, 'DELETE')).status).toBe(200);
    expect((await delivered('team_permission.deleted', (d) => d.id === '$update_team')).data).toEqual(grant);

    expect((await server(`/team-memberships/${teamId}/${userId}`, 'DELETE')).status).toBe(200);
    expect((await delivered('team_membership.deleted', (d) => d.team_id === teamId)).data).toEqual(
      membership,
    );

    expect((await server(`/teams/${teamId}`, 'DELETE')).status).toBe(200);
    expect((await delivered('team.deleted', (d) => d.id === teamId)).data).toEqual({ id: teamId });
  });

  it('lists each message with its attempts: delivered to the live endpoint, failed at the dead one', async () => {
    const created = await server('/users', 'POST', { primary_email: `listed-${compat}@example.com` });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const payload = await delivered('user.created', (d) => d.id === id);

    const { data: messages } = await api.messages();
    const listed = messages.find((m) => m.eventType === 'user.created' && m.payload.data.id === id)!;
    const message = await api.message(listed.id);
    // Exactly Svix's MessageOut, as upstream's tests snapshot it.
    expect(Object.keys(message).sort()).toEqual([
      'channels',
      'eventId',
      'eventType',
      'id',
      'payload',
      'timestamp',
    ]);
    expect(message).toMatchObject({ eventType: 'user.created', eventId: null, channels: null, payload });
    expect(message.id).toMatch(/^msg_[0-9a-zA-Z]{27}$/);

    const liveAttempt = (await api.attempts(live.id)).data.find((a) => a.msgId === message.id);
    expect(liveAttempt).toMatchObject({ status: 0, responseStatusCode: 200, response: 'received' });
    // A refused connection is a failed attempt (no status code), and the request that caused it succeeded.
    const deadAttempt = await waitUntil(
      async () => (await api.attempts(dead.id)).data.find((a) => a.msgId === message.id),
      (attempt) => attempt?.status === 2,
      'the failed attempt at the dead endpoint',
      10_000,
    );
    expect(deadAttempt).toMatchObject({ responseStatusCode: 0, endpointId: dead.id });
    expect(deadAttempt!.response).toMatch(/ECONNREFUSED/);

    // Svix's pages: newest first, `iterator` continues where a page ended, `done` on the last one.
    const first = (await (await api.call('GET', '/msg?limit=1')).json()) as SvixList<SvixMessage>;
    expect(first).toMatchObject({ done: false, iterator: first.data[0]!.id });
    const second = (await (
      await api.call('GET', `/msg?limit=1&iterator=${first.iterator}`)
    ).json()) as SvixList<SvixMessage>;
    expect(second.data).toHaveLength(1);
    expect(second.data[0]!.id).not.toBe(first.data[0]!.id);
    const app = await api.call('GET', '');
    expect(await app.json()).toMatchObject({ id: emulator().projectId, uid: emulator().projectId });
  });

  it('a request that fails records no event', async () => {
    const before = (await api.messages()).data.length;
    const email = `twice-${compat}@example.com`;
    const user = { primary_email: email, primary_email_auth_enabled: true };
    expect((await server('/users', 'POST', user)).status).toBe(201);
    const again = await server('/users', 'POST', user);
    expect(again.status).toBe(409);
    await waitUntil(
      () => receiver.deliveries.filter((d) => d.body.includes(email)).length,
      (n) => n >= 1,
      'the first user’s delivery',
      10_000,
    );
    expect((await api.messages()).data.length).toBe(before + 1);
  });

  it('gives the published SDK’s admin interface a token that opens the project’s Svix app', async () => {
    const options = {
      projectId: emulator().projectId,
      publishableClientKey: emulator().publishableClientKey,
      secretServerKey: emulator().secretServerKey,
      superSecretAdminKey: emulator().superSecretAdminKey,
      baseUrl: emulator().apiUrl,
      tokenStore: 'memory' as const,
    };
    // The SDK generation a team on this backend uses; its dashboard hook reads the token through this call.
    const admin = compat === 'dual' ? new newSdk.StackAdminApp(options) : new oldSdk.StackAdminApp(options);
    const { token: sdkToken } = await (
      admin as unknown as { _interface: { getSvixToken(): Promise<{ token: string }> } }
    )._interface.getSvixToken();
    const endpoints = await svix(emulator(), sdkToken).call('GET', '/endpoint');
    expect(endpoints.status).toBe(200);
    expect(((await endpoints.json()) as SvixList<{ id: string }>).data.map((e) => e.id)).toContain(live.id);
  });

  it('answers bad input with Svix’s 422 or 404, never a 500', async () => {
    const bad = [
      await api.call('POST', '/endpoint', { url: 'ftp://example.com/hook' }),
      await api.call('POST', '/endpoint', { url: `${receiver.url}/x`, description: 'nul \u0000 here' }),
      await api.call('POST', '/msg', { eventType: 'custom.event' }),
    ];
    for (const response of bad) {
      expect(response.status).toBe(422);
      expect(((await response.json()) as { detail: unknown[] }).detail.length).toBeGreaterThan(0);
    }
    expect((await api.call('GET', '/msg/msg_doesnotexist')).status).toBe(404);
    expect((await api.call('GET', '/attempt/endpoint/ep_doesnotexist')).status).toBe(404);
    const malformed = await fetch(`${emulator().svixUrl}/api/v1/app/${emulator().projectId}/endpoint`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{not json',
    });
    expect(malformed.status).toBe(422);
  });

  it('refuses a missing token, an unknown one, and a token of another project with 401', async () => {
    const anonymous = await fetch(`${emulator().svixUrl}/api/v1/app/${emulator().projectId}/msg`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'authentication_failed' });
    expect((await svix(emulator(), 'hexwh_not-a-token').call('GET', '/msg')).status).toBe(401);
    const internalToken = (await (
      await fetch(`${emulator().apiUrl}/api/v1/webhooks/svix-token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-stack-project-id': emulator().internalProject.id,
          'x-stack-access-type': 'admin',
          'x-stack-super-secret-admin-key': emulator().internalProject.superSecretAdminKey,
        },
        body: '{}',
      })
    ).json()) as { token: string };
    expect((await svix(emulator(), internalToken.token).call('GET', '/endpoint')).status).toBe(401);
    expect(
      (await svix(emulator(), internalToken.token, emulator().internalProject.id).call('GET', '/endpoint'))
        .status,
    ).toBe(200);
    // Issuing a token needs admin access, as upstream.
    expect((await server('/webhooks/svix-token', 'POST', {})).status).toBe(401);
  });
});

describe('webhooks API placement and delivery', () => {
  it('serves the API on a port of its own when asked, and a hanging endpoint never holds up the API', async () => {
    const emulator = await startTestEmulator({ svixPort: 0, label: 'emulator_svix_port' });
    const hanging = await startReceiver({ hang: true });
    try {
      expect(emulator.svixUrl).not.toBe(`${emulator.apiUrl}/svix`);
      expect(new URL(emulator.svixUrl).port).not.toBe(new URL(emulator.apiUrl).port);
      const api = svix(emulator, await svixToken(emulator, 'stack'));
      const endpoint = await api.createEndpoint(`${hanging.url}/slow`);
      const created = await apiFetch(emulator, '/users', {
        method: 'POST',
        access: 'server',
        body: { primary_email: 'slow-endpoint@example.com' },
      });
      expect(created.status).toBe(201);
      // The endpoint has the request but has not answered: the attempt is still sending, the user exists.
      await waitUntil(
        () => hanging.deliveries.length,
        (n) => n === 1,
        'the hanging delivery',
        10_000,
      );
      expect((await api.attempts(endpoint.id)).data).toMatchObject([{ status: 3 }]);
    } finally {
      await emulator.stop();
      await hanging.close();
    }
  });
});
