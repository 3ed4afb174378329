import { type ChildProcess, spawn } from 'node:child_process';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api/index.js';
import { CLI } from './cli.js';

export interface ServeProcess {
  readonly url: string;
  readonly origin: string;
  /** The per-launch token from the URL fragment, for calling the local API. */
  readonly token: string;
  readonly child: ChildProcess;
  /** Everything the process printed on stderr so far. */
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Start `hexclave-companion serve --json` as a real process and wait for its ready line. `entry` replaces the CLI's
 * `serve` (e.g. `scripts/start.mjs`, which ends in the same command); an env value of undefined unsets it.
 */
export function startServeProcess(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  entry: readonly string[] = [CLI, 'serve'],
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    // Tests run side by side: any free port, unless a test asks for one (serve's default is a fixed port).
    const port = args.includes('--port') ? [] : ['--port', '0'];
    const child = spawn(process.execPath, [...entry, '--json', ...port, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const timer = setTimeout(() => reject(new Error(`serve did not become ready:\n${stderr}`)), 120_000);
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const ready = JSON.parse(line) as { url: string };
      const url = new URL(ready.url);
      resolve({
        url: ready.url,
        origin: url.origin,
        token: new URLSearchParams(url.hash.slice(1)).get('token') ?? '',
        child,
        stderr: () => stderr,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before it was ready:\n${stderr}`));
    });
  });
}

/** Call the local API of a running companion the way the UI does (HTTP with the launch token). */
export async function callApi<M extends ApiMethod>(
  serve: Pick<ServeProcess, 'origin' | 'token'>,
  method: M,
  input: ApiInput<M>,
): Promise<ApiOutput<M>> {
  const response = await fetch(`${serve.origin}/api/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serve.token}` },
    body: JSON.stringify(input),
  });
  const reply = (await response.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
  return reply.result as ApiOutput<M>;
}
