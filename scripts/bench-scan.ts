/**
 * `scan` of a generated 5,000-file project: a monorepo of components, API routes, config, .env, YAML, shell and
 * Dockerfiles, one file in five naming Stack or Hexclave identifiers. Prints the scan's wall time next to a
 * baseline in the same process (walking the tree and reading every file, no parsing) and their ratio.
 * The first run includes loading the TypeScript compiler, as a CLI run does.
 * Run: npm run bench:scan [files] [runs]   — the budget is under 5 s for 5,000 files on this machine.
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanProject } from '../main/scan/index.js';
import { walkProject } from '../main/scan/walk.js';

const fileCount = Number(process.argv[2] ?? 5000);
const runs = Number(process.argv[3] ?? 3);

const plain = (i: number) =>
  `import { useState } from 'react';\n\n/** Component ${i}. */\nexport function Widget${i}({ items }: { items: string[] }) {\n  const [open, setOpen] = useState(false);\n${Array.from({ length: 30 }, (_, j) => `  const v${j} = items.map((x) => x.length * ${j}).filter(Boolean);`).join('\n')}\n  return <ul onClick={() => setOpen(!open)}>{items.map((x) => <li key={x}>{x}</li>)}</ul>;\n}\n`;
const named = (i: number) =>
  `import { StackClientApp } from '@stackframe/js';\n// x-stack-project-id in a comment is not a finding\nexport const app${i} = new StackClientApp({ projectId: process.env.NEXT_PUBLIC_STACK_PROJECT_ID!, tokenStore: 'cookie' });\nexport async function call${i}(token: string) {\n  const cookie = document.cookie.includes('stack-access');\n  return fetch('/api/v1/users/me?stack_response_mode=json', { headers: { 'x-stack-access-token': token, 'x-hexclave-project-id': '${i}' } }).then((r) => [r, cookie]);\n}\n${plain(i)}`;
const others: Array<[string, (i: number) => string]> = [
  ['.env', () => 'NEXT_PUBLIC_STACK_PROJECT_ID=p\nSTACK_SECRET_SERVER_KEY=ssk_x\nOTHER=1\n'],
  [
    'docker-compose.yml',
    () => 'services:\n  app:\n    environment:\n      STACK_SECRET_SERVER_KEY: ${STACK_SECRET_SERVER_KEY}\n',
  ],
  [
    'deploy.sh',
    () => '#!/bin/sh\nexport STACK_PROJECT_ID="$1"\ncurl -H "x-stack-access-type: server" "$STACK_API_URL"\n',
  ],
  ['Dockerfile', () => 'FROM node:20\nARG STACK_PROJECT_ID\nRUN echo $STACK_PROJECT_ID\n'],
  [
    'package.json',
    (i) => JSON.stringify({ name: `pkg-${i}`, dependencies: { '@stackframe/js': '^2.8.108' } }),
  ],
];

function generate(root: string): void {
  for (let i = 0; i < fileCount; i++) {
    const dir = join(root, 'apps', `app-${i % 20}`, 'src', `feature-${Math.floor(i / 100)}`);
    mkdirSync(dir, { recursive: true });
    if (i % 25 === 0) {
      const [name, body] = others[(i / 25) % others.length]!;
      writeFileSync(join(dir, name), body(i));
    } else {
      writeFileSync(join(dir, `file-${i}.tsx`), i % 5 === 0 ? named(i) : plain(i));
    }
  }
}

const root = mkdtempSync(join(tmpdir(), 'hexclave-bench-scan-'));
try {
  generate(root);
  const baseline: number[] = [];
  const scans: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  let files = 0;
  for (let run = 0; run < runs; run++) {
    let started = performance.now();
    for (const file of walkProject(root)) readFileSync(join(root, file), 'utf8');
    baseline.push(performance.now() - started);
    started = performance.now();
    const before = process.cpuUsage();
    const report = scanProject(root);
    scans.push(performance.now() - started);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
    findings = report.summary.findings;
    files = report.filesScanned;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const scan = median(scans);
  const base = median(baseline);
  console.log(`files: ${files} scanned of ${fileCount} generated, findings: ${findings}`);
  console.log(`scan:     median ${scan.toFixed(0)} ms (runs: ${scans.map((v) => v.toFixed(0)).join(', ')})`);
  console.log(
    `scan CPU: median ${median(cpu).toFixed(0)} ms (wall time on a shared machine includes waiting for a core)`,
  );
  console.log(`baseline: median ${base.toFixed(0)} ms (walk + read, no parsing)`);
  console.log(
    `ratio scan/baseline: ${(scan / base).toFixed(1)}×; budget 5000 ms: ${scan < 5000 ? 'within' : 'OVER'}`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
