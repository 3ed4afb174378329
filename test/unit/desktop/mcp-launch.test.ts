import { describe, expect, it } from 'vitest';
import { mcpServerLaunch, mcpSnippets } from '../../../main/api/handlers/mcp.js';

// Editors start the MCP server from these snippets on every session: under Electron, process.execPath is the
// desktop app, which would open a whole app (and need a display) per editor session.
const bin = '/home/dev/hexclave-companion/bin/hexclave-companion.js';
const base = { execPath: '/usr/local/bin/node', bin, version: '1.2.3' };

describe('how editors start the MCP server', () => {
  it('from the CLI (plain Node): this Node on this install', () => {
    expect(mcpServerLaunch('p1', { ...base, electron: undefined })).toEqual({
      command: '/usr/local/bin/node',
      args: [bin, 'mcp', '--project', 'p1'],
    });
  });

  it('from the desktop app: the editor’s node, never the Electron binary', () => {
    const electron = { ...base, electron: '41.7.1', execPath: '/opt/Hexclave Companion/hexclave-companion' };
    expect(mcpServerLaunch('p1', electron)).toEqual({
      command: 'node',
      args: [bin, 'mcp', '--project', 'p1'],
    });
    for (const snippet of mcpSnippets('p1', electron)) expect(snippet.content).not.toContain('/opt/Hexclave');
  });

  it('from a packaged app (the CLI inside app.asar): the same version through npx', () => {
    const packaged = {
      ...base,
      electron: '41.7.1',
      bin: '/opt/Hexclave Companion/resources/app.asar/bin/hexclave-companion.js',
    };
    expect(mcpServerLaunch('p1', packaged)).toEqual({
      command: 'npx',
      args: ['--yes', 'hexclave-companion@1.2.3', 'mcp', '--project', 'p1'],
    });
  });

  it('the Claude Code command is one safe shell command whatever the install path', () => {
    const odd = {
      ...base,
      electron: undefined,
      bin: "/home/o'brien/my apps/$HOME/bin/hexclave-companion.js",
    };
    const claude = mcpSnippets('p1', odd).find((s) => s.editor === 'Claude Code')!;
    expect(claude.content).toBe(
      `claude mcp add hexclave -- /usr/local/bin/node '/home/o'\\''brien/my apps/$HOME/bin/hexclave-companion.js' mcp --project p1`,
    );
  });
});
