/**
 * Load on a real `hexclave-companion emulator` process over loopback (autocannon): requests/s and p50/p99 latency
 * for GET /users/me and password sign-in, plus the time to seed the users.
 * Run: npm run bench:emulator -- [--users 100000] [--duration 10] [--json]
 * (an ephemeral embedded Postgres unless DATABASE_URL is set; the emulator runs in its own process, dual mode)
 */

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { requestHeaderName } from '../shared/registry/index.js';
import { buildAll } from './build.mjs';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
// The emulator runs as the built CLI: bring out/ up to date first.
await buildAll({ only: ['node'], log: (line) => console.error(`[build] ${line}`) });
const users = Number(values.users);
const duration = Number(values.duration);

interface Ready {
  apiUrl: string;
  projectId: string;
  publishableClientKey: string;
}

function startEmulatorProcess(): Promise<{ ready: Ready; stderr: () => string; stop: () => Promise<void> }> {
  const cli = join(import.meta.dirname, '..', 'bin', 'hexclave-companion.js');
  const database = process.env.DATABASE_URL ? ['--database-url', process.env.DATABASE_URL] : ['--ephemeral'];
  const child = spawn(process.execPath, [cli, 'emulator', ...database, '--seed-users', String(users)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}:\n${stderr}`)));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!stdout.includes('\n')) return;
      resolve({
        ready: JSON.parse(stdout.split('\n')[0]!) as Ready,
        stderr: () => stderr,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

interface Measured {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

async function measure(options: autocannon.Options): Promise<Measured> {
  const result = await autocannon({ duration, ...options });
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

const emulator = await startEmulatorProcess();
try {
  const { apiUrl, projectId, publishableClientKey } = emulator.ready;
  const seedSeconds = Number(/Seed users: .* in ([\d.]+)s/.exec(emulator.stderr())?.[1] ?? Number.NaN);
  // A new SDK's headers (the dual backend normalizes them, the costlier path).
  const name = (id: string) => requestHeaderName(`header.${id}`, 'hexclave');
  const client = {
    [name('project-id')]: projectId,
    [name('access-type')]: 'client',
    [name('publishable-client-key')]: publishableClientKey,
    [name('override-error-status')]: 'true',
    'content-type': 'application/json',
  };
  const signInBody = JSON.stringify({ email: 'seed-user-1@example.com', password: 'hexclave-seed-password' });
  const signIn = await fetch(`${apiUrl}/api/v1/auth/password/sign-in`, {
    method: 'POST',
    headers: client,
    body: signInBody,
  });
  const { access_token } = (await signIn.json()) as { access_token: string };

  const usersMe = await measure({
    url: `${apiUrl}/api/v1/users/me`,
    connections: 10,
    headers: { ...client, [name('access-token')]: access_token },
  });
  const passwordSignIn = await measure({
    url: `${apiUrl}/api/v1/auth/password/sign-in`,
    method: 'POST',
    connections: 4,
    headers: client,
    body: signInBody,
  });
  const report = { users, seedSeconds, durationSeconds: duration, usersMe, passwordSignIn };
  if (values.json) {
    console.log(JSON.stringify(report));
  } else {
    console.log(`seeded ${users} users in ${seedSeconds}s`);
    for (const [label, m] of [
      ['GET /users/me', usersMe],
      ['POST /auth/password/sign-in', passwordSignIn],
    ] as const) {
      console.log(
        `${label.padEnd(28)} ${String(m.requestsPerSec).padStart(6)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  (${m.requests} requests, ${m.errors} errors)`,
      );
    }
  }
} finally {
  await emulator.stop();
}
