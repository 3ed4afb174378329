/**
 * How long the built CLI takes to be useful, from spawn to: exit (`ids`, `env`), an answer to tools/list
 * (`mcp`), the URL on stdout (`serve`), the ready line (`emulator`, on a kept data folder and on a fresh
 * `--ephemeral` one). Each is spawned `runs` times (default 10), in rounds that rotate the order so load from
 * other processes hits every command alike, beside `node -e 0` in the same rounds; the medians and their ratio to
 * `node -e 0` are printed with the budgets of issue 16.
 * Run: npm run bench:startup -- [--runs 10] [--only ids,env]
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildAll } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'hexclave-companion.js');
const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, only: { type: 'string' } },
});
const runs = Number(flags.runs);

await buildAll({ log: (line) => console.error(`[build] ${line}`) });

const work = mkdtempSync(join(tmpdir(), 'bench-startup-'));
const project = join(work, 'project');
const home = join(work, 'home');
mkdirSync(project);
mkdirSync(home);
chmodSync(work, 0o755); // as root, embedded Postgres runs as `postgres` and must pass through
writeFileSync(
  join(project, '.env'),
  'STACK_PROJECT_ID=internal\nNEXT_PUBLIC_STACK_API_URL=http://localhost:8102\n',
);
const env = { ...process.env, NO_COLOR: '1', HEXCLAVE_COMPANION_HOME: home };

/** Spawn, resolve with the ms until `ready(stdoutSoFar, child)` says so, then stop it and wait for its exit. */
function measure(args, { ready, stop = 'exit', input } = {}) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, args, { cwd: project, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let readyAt = null;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (readyAt !== null || !ready?.(stdout)) return;
      readyAt = performance.now();
      if (stop === 'stdin') child.stdin.end();
      else child.kill('SIGTERM');
    });
    if (input) child.stdin.write(input);
    else if (stop !== 'stdin') child.stdin.end();
    // A command that never gets ready must not hang the benchmark.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      const endAt = readyAt ?? performance.now();
      if (ready && readyAt === null)
        reject(new Error(`${args.slice(1).join(' ')} exited ${code}:\n${stderr}`));
      else if (!ready && code !== 0)
        reject(new Error(`${args.slice(1).join(' ')} exited ${code}:\n${stderr}`));
      else resolve(endAt - startedAt);
    });
  });
}

const jsonRpc = (messages) => messages.map((m) => `${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`).join('');
const MCP_INPUT = jsonRpc([
  {
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  },
  { method: 'notifications/initialized' },
  { id: 2, method: 'tools/list' },
]);

const VARIANTS = [
  { name: 'node -e 0', budgetMs: null, run: () => measure(['-e', '0']) },
  { name: 'ids', budgetMs: 150, run: () => measure([cli, 'ids', 'x-stack-access-token']) },
  { name: 'env', budgetMs: 200, run: () => measure([cli, 'env']) },
  {
    name: 'mcp',
    budgetMs: 500,
    run: () => measure([cli, 'mcp'], { input: MCP_INPUT, stop: 'stdin', ready: answered(2) }),
  },
  { name: 'serve', budgetMs: 1000, run: () => measure([cli, 'serve', '--json'], { ready: hasLine }) },
  { name: 'emulator', budgetMs: 3000, run: () => measure([cli, 'emulator'], { ready: hasLine }) },
  {
    name: 'emulator --ephemeral',
    budgetMs: 3000,
    run: () => measure([cli, 'emulator', '--ephemeral'], { ready: hasLine }),
  },
];

/** True once stdout holds the JSON-RPC response with this id. */
function answered(id) {
  return (out) =>
    out
      .split('\n')
      .slice(0, -1) // complete lines only
      .some((line) => line.startsWith('{') && JSON.parse(line).id === id);
}

function hasLine(out) {
  return out.includes('\n');
}

const only = flags.only?.split(',');
const variants = VARIANTS.filter((v) => v.budgetMs === null || !only || only.includes(v.name));

// One unmeasured run each: the kept emulator data folder is created, and file caches are warm.
for (const variant of variants) await variant.run();

const samples = new Map(variants.map((v) => [v.name, []]));
for (let round = 0; round < runs; round++) {
  const order = variants.map((_, i) => variants[(i + round) % variants.length]);
  for (const variant of order) samples.get(variant.name).push(await variant.run());
}
rmSync(work, { recursive: true, force: true });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const baseline = median(samples.get('node -e 0'));
console.log(`Startup, median of ${runs} spawns each (Node ${process.version}, ${process.platform})`);
console.log('command                 median ms   × node -e 0   budget ms');
for (const variant of variants) {
  const ms = median(samples.get(variant.name));
  const budget =
    variant.budgetMs === null ? '' : `${variant.budgetMs} ${ms <= variant.budgetMs ? 'ok' : 'OVER'}`;
  console.log(
    `${variant.name.padEnd(22)} ${ms.toFixed(0).padStart(9)}   ${(ms / baseline).toFixed(2).padStart(11)}   ${budget}`,
  );
}
