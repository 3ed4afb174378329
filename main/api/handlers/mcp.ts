import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { readCallLog } from '../../../mcp-server/call-log.js';
import { silentLogger } from '../../../mcp-server/log.js';
import { callLogPath } from '../../../mcp-server/project-descriptor.js';
import { shellWord } from '../../../shared/shell.js';
import { packageRoot } from '../../package-root.js';
import { appVersion } from '../../version.js';
import { ApiError, type ApiHandlers } from '../dispatcher.js';
import type { AppContext } from './context.js';

/** What decides how an editor starts the MCP server; the defaults describe this process. */
export interface McpLaunchRuntime {
  /** Electron's version when this is the desktop app (then `process.execPath` is the app, not Node). */
  readonly electron: string | undefined;
  readonly execPath: string;
  /** This install's CLI entry. */
  readonly bin: string;
  readonly version: string;
}

const thisRuntime = (): McpLaunchRuntime => ({
  electron: process.versions.electron,
  execPath: process.execPath,
  bin: join(packageRoot(), 'bin', 'hexclave-companion.js'),
  version: appVersion(),
});

/**
 * The command line an editor runs for this project's MCP server: always plain Node, never the Electron binary
 * (that would start a whole desktop app per editor session). From the CLI, this Node; from the desktop app, the
 * editor's `node` on this install's CLI; from a packaged app (the CLI sits inside app.asar, which Node cannot
 * read), the same version from npm through npx.
 */
export function mcpServerLaunch(
  project: string,
  runtime: McpLaunchRuntime = thisRuntime(),
): { command: string; args: string[] } {
  const mcpArgs = ['mcp', '--project', project];
  if (/\.asar[\\/]/.test(runtime.bin)) {
    return { command: 'npx', args: ['--yes', `hexclave-companion@${runtime.version}`, ...mcpArgs] };
  }
  return { command: runtime.electron ? 'node' : runtime.execPath, args: [runtime.bin, ...mcpArgs] };
}

/** Editor configuration for this project's MCP server; no secret is in them (the server reads the project). */
export function mcpSnippets(project: string, runtime?: McpLaunchRuntime) {
  const { command, args } = mcpServerLaunch(project, runtime);
  const server = { command, args };
  return [
    {
      editor: 'Claude Code',
      file: 'terminal',
      content: `claude mcp add hexclave -- ${[command, ...args].map(shellWord).join(' ')}`,
    },
    {
      editor: 'Claude Desktop',
      file: 'claude_desktop_config.json',
      content: JSON.stringify({ mcpServers: { hexclave: server } }, null, 2),
    },
    {
      editor: 'Cursor',
      file: '.cursor/mcp.json',
      content: JSON.stringify({ mcpServers: { hexclave: server } }, null, 2),
    },
    {
      editor: 'VS Code',
      file: '.vscode/mcp.json',
      content: JSON.stringify({ servers: { hexclave: { type: 'stdio', ...server } } }, null, 2),
    },
  ];
}

/**
 * The project's MCP server as the editor's process runs it (the same factory and configuration), reached by an SDK
 * client over an in-memory transport for the length of `use`.
 */
async function withProjectServer<T>(project: string, use: (client: Client) => Promise<T>): Promise<T> {
  // The MCP server and client load on the first MCP screen call, not before `serve` prints its URL.
  const [{ createServer, resolveMcpConfig }, { Client }, { InMemoryTransport }] = await Promise.all([
    import('../../../mcp-server/index.js'),
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/inMemory.js'),
  ]);
  const { server, cleanup } = createServer(resolveMcpConfig({ project }), { log: silentLogger });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'hexclave-companion-ui', version: '1' });
  try {
    await client.connect(clientSide);
    return await use(client);
  } finally {
    await client.close();
    await cleanup();
  }
}

const isReadOnly = (tool: Tool) => tool.annotations?.readOnlyHint === true;

export function mcpHandlers(_context: AppContext): Pick<ApiHandlers, 'mcp.status' | 'mcp.call'> {
  return {
    'mcp.status': async ({ project }) => {
      const snippets = mcpSnippets(project);
      const calls = readCallLog(callLogPath(project), 100);
      try {
        // If tools list here, the configuration the editor uses resolves and the server starts.
        const { tools } = await withProjectServer(project, (client) => client.listTools());
        return {
          reachable: true,
          tools: tools.map((t) => t.name),
          toolInfo: tools.map((t) => ({
            name: t.name,
            title: t.title ?? null,
            description: t.description ?? '',
            readOnly: isReadOnly(t),
            inputSchema: t.inputSchema as Record<string, unknown>,
          })),
          message: null,
          snippets,
          calls,
        };
      } catch (error) {
        return {
          reachable: false,
          tools: [],
          toolInfo: [],
          message: error instanceof Error ? error.message : String(error),
          snippets,
          calls,
        };
      }
    },
    'mcp.call': async ({ project, tool, arguments: args, confirmed }) =>
      withProjectServer(project, async (client) => {
        const found = (await client.listTools()).tools.find((t) => t.name === tool);
        if (!found) throw new ApiError('NotFound', `The MCP server has no tool "${tool}".`);
        // Main decides, not the screen: a tool that does not promise to be read-only runs only when confirmed.
        if (!isReadOnly(found) && !confirmed) {
          throw new ApiError(
            'Mcp:confirm',
            `${tool} can change things (its annotations do not promise readOnlyHint): confirm to run it.`,
          );
        }
        const started = performance.now();
        const result = await client.callTool({ name: tool, arguments: args });
        return { ms: Math.round(performance.now() - started), result: result as Record<string, unknown> };
      }),
  };
}
