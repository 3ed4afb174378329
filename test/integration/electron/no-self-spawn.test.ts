import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';

// Under Electron, `process.execPath` is the app itself: a child spawned with it starts another Electron, which does
// not exit when its script ends, so a synchronous spawn freezes the app (issue 19: "Open my app" built the overlay
// that way). The built main process and every chunk it can load must never do that, unless the child is told to
// run as Node (ELECTRON_RUN_AS_NODE=1) and bounded by a timeout.

const outMain = join(packageRoot(), 'out', 'main');

/** out/main/index.js and every chunk it imports, statically or with import(). */
function electronMainFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const pending = ['index.js'];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (files.has(name)) continue;
    const code = readFileSync(join(outMain, name), 'utf8');
    files.set(name, code);
    for (const match of code.matchAll(/(?:from|import\()\s*["']\.\/([\w.-]+\.js)["']/g))
      pending.push(match[1]!);
  }
  return files;
}

const SELF_SPAWN = /\b(?:spawn|spawnSync|execFile|execFileSync)\(\s*process\.execPath\b[^;]*/g;

describe('the Electron main bundle', () => {
  it('loads the app window and the workspace (the code that used to spawn builds)', () => {
    const files = electronMainFiles();
    const all = [...files.values()].join('\n');
    expect(all).toContain('WebContentsView');
    expect(files.size).toBeGreaterThan(3);
  });

  it('never spawns its own executable except as Node with a timeout', () => {
    const offenders: string[] = [];
    for (const [name, code] of electronMainFiles()) {
      for (const [call] of code.matchAll(SELF_SPAWN)) {
        if (!(call.includes('ELECTRON_RUN_AS_NODE') && call.includes('timeout')))
          offenders.push(`${name}: ${call}`);
      }
      // fork() runs process.execPath unless told otherwise.
      for (const [call] of code.matchAll(/\bfork\([^;]*/g)) {
        if (/child_process/.test(code) && !call.includes('execPath')) offenders.push(`${name}: ${call}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
