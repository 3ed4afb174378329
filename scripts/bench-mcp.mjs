/**
 * How fast `hexclave-companion mcp` answers an editor: spawn it, send `initialize` and `tools/list` over stdio as an
 * MCP client does, and time from spawn to the `tools/list` answer. Beside it, in the same run, a bare `node -e 0`
 * (the floor any Node process pays). Prints the median of N spawns each and the ratio.
 * Run: npm run bench:mcp [-- --runs 10] [-- --json]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 10;
const json = args.includes('--json');
const TIMEOUT_MS = 30_000;

const messages = [
  {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'bench-mcp', version: '1' },
    },
  },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 2, method: 'tools/list' },
];

/** Milliseconds from spawn until `until(stdout)` holds (or the process exits, for the baseline). */
function timeSpawn(command, commandArgs, { input, until, cwd, env }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.kill('SIGTERM');
      if (error) reject(error);
      else resolve(ms);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (until?.(out)) finish();
    });
    child.on('error', finish);
    child.on('exit', (code) => {
      if (!until) finish();
      else if (!done) finish(new Error(`exited with ${code} before answering: ${out.slice(0, 300)}`));
    });
    if (input) child.stdin.write(input);
    else child.stdin.end();
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (ms) => Math.round(ms * 10) / 10;

// An empty project folder and an empty environment for the server's own settings: nothing to read but itself.
const projectDir = mkdtempSync(join(tmpdir(), 'bench-mcp-'));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? projectDir };
const input = `${messages.map((m) => JSON.stringify(m)).join('\n')}\n`;
const answered = (out) => out.split('\n').some((line) => line.includes('"id":2') && line.includes('"tools"'));

const mcpMs = [];
const nodeMs = [];
try {
  // One unmeasured spawn each warms the filesystem cache, as an editor's second start would find it.
  await timeSpawn(process.execPath, [join(root, 'bin/hexclave-companion.js'), 'mcp'], {
    input,
    until: answered,
    cwd: projectDir,
    env,
  });
  for (let i = 0; i < runs; i++) {
    nodeMs.push(await timeSpawn(process.execPath, ['-e', '0'], { cwd: projectDir, env }));
    mcpMs.push(
      await timeSpawn(process.execPath, [join(root, 'bin/hexclave-companion.js'), 'mcp'], {
        input,
        until: answered,
        cwd: projectDir,
        env,
      }),
    );
  }
} finally {
  rmSync(projectDir, { recursive: true, force: true });
}

const result = {
  runs,
  mcpToolsListMedianMs: round(median(mcpMs)),
  mcpToolsListMinMs: round(Math.min(...mcpMs)),
  mcpToolsListMaxMs: round(Math.max(...mcpMs)),
  nodeBaselineMedianMs: round(median(nodeMs)),
  ratioToNode: Math.round((median(mcpMs) / median(nodeMs)) * 100) / 100,
  targetMs: 500,
};
if (json) {
  console.log(JSON.stringify(result));
} else {
  console.log(
    `mcp: spawn → tools/list answer, median of ${runs}: ${result.mcpToolsListMedianMs} ms (min ${result.mcpToolsListMinMs}, max ${result.mcpToolsListMaxMs}); target ≤ ${result.targetMs} ms`,
  );
  console.log(
    `node -e 0, median of ${runs}: ${result.nodeBaselineMedianMs} ms; ratio ${result.ratioToNode}×`,
  );
}
