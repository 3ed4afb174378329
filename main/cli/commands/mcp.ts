import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import {
  createServer,
  type McpFlags,
  type McpServerConfig,
  resolveMcpConfig,
} from '../../../mcp-server/index.js';
import { redactConnectionString, redactValue } from '../../../shared/redact.js';
import { onShutdown, shutdownAndExit, stopOnSignals } from '../../lifecycle/index.js';
import { appVersion } from '../../version.js';
import { COMMAND_TABLE } from '../command-table.js';
import { printJson } from '../output.js';
import { UsageError } from '../usage-error.js';

interface McpCommandOptions extends Omit<McpFlags, 'statementTimeoutMs'> {
  readonly statementTimeoutMs?: string;
  readonly json?: boolean;
  readonly createReaderRole?: boolean;
}

function resolveConfig(options: McpCommandOptions): McpServerConfig {
  const { statementTimeoutMs: timeout, json: _json, createReaderRole: _create, ...flags } = options;
  if (timeout !== undefined && !/^\d+$/.test(timeout)) {
    throw new UsageError(`--statement-timeout-ms must be a whole number of milliseconds, got "${timeout}".`);
  }
  try {
    return resolveMcpConfig({ ...flags, ...(timeout ? { statementTimeoutMs: Number(timeout) } : {}) });
  } catch (error) {
    if (error instanceof Error && ['McpConfigError', 'ProjectDirError'].includes(error.name)) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** What `--json` prints: the configuration the server would run with, secrets redacted. */
function describeConfig(config: McpServerConfig, tools: readonly string[]) {
  return {
    readOnly: config.readOnly,
    projectDir: config.projectDir,
    mirror: config.mirror ? { ...config.mirror, url: redactConnectionString(config.mirror.url) } : null,
    apiUrl: config.apiUrl,
    projectId: config.projectId,
    publishableClientKey: config.publishableClientKey,
    secretServerKey: config.secretServerKey ? redactValue(config.secretServerKey) : null,
    sources: config.sources,
    tools,
  };
}

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(COMMAND_TABLE.mcp.summary)
    .option('--read-only', 'hide every tool that can write (also HEXCLAVE_MCP_READ_ONLY=1)')
    .option(
      '--mirror-database-url <url>',
      'postgres:// URL of the user mirror (default: $HEXCLAVE_MIRROR_DATABASE_URL)',
    )
    .option(
      '--mirror-schema <schema>',
      'schema of the mirror tables (default: $HEXCLAVE_MIRROR_SCHEMA or public)',
    )
    .option('--api-url <url>', 'backend API URL (default: $HEXCLAVE_API_URL / $STACK_API_URL, .env files)')
    .option('--project-id <id>', 'project id (default: $HEXCLAVE_PROJECT_ID / $STACK_PROJECT_ID, .env files)')
    .option('--publishable-client-key <key>', 'publishable client key (default: from the environment)')
    .option(
      '--secret-server-key <key>',
      'secret server key (prefer $HEXCLAVE_SECRET_SERVER_KEY: flags show in ps)',
    )
    .option(
      '--project-dir <dir>',
      'the project folder whose .env files are read (default: the current folder)',
    )
    .option('--project <id>', 'a Hexclave Companion project: its backend, mirror and live sync status')
    .option('--statement-timeout-ms <ms>', 'statement timeout for mirror queries (default 5000)')
    .option('--json', 'print the resolved configuration and tool list as JSON and exit, instead of serving')
    .option(
      '--create-reader-role',
      'create a read-only role on the mirror through --mirror-database-url (a role allowed to), print its URL and exit',
    )
    .action(async (options: McpCommandOptions) => {
      stopOnSignals();
      const config = resolveConfig(options);
      if (options.createReaderRole) {
        if (!config.mirror)
          throw new UsageError('--create-reader-role needs --mirror-database-url <owner URL>.');
        const { createMirrorReaderRole } = await import('../../mirror/reader-role.js');
        const reader = await createMirrorReaderRole(config.mirror.url, { schema: config.mirror.schema });
        process.stderr.write(`Created the read-only role "${reader.role}". Serve with this mirror URL:\n`);
        process.stdout.write(`HEXCLAVE_MIRROR_DATABASE_URL=${reader.url}\n`);
        return;
      }
      const { server, cleanup } = createServer(config);
      if (options.json) {
        // List the tools exactly as a client would see them, over an in-process transport. The client (and its
        // output-schema validator) loads only here: serving over stdio never needs it.
        const [{ Client }, { InMemoryTransport }] = await Promise.all([
          import('@modelcontextprotocol/sdk/client/index.js'),
          import('@modelcontextprotocol/sdk/inMemory.js'),
        ]);
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const client = new Client({ name: 'hexclave-companion-cli', version: appVersion() });
        await server.connect(serverSide);
        await client.connect(clientSide);
        const { tools } = await client.listTools();
        await client.close();
        await cleanup();
        printJson(
          describeConfig(
            config,
            tools.map((t) => t.name),
          ),
        );
        return;
      }
      // stdout carries nothing but the protocol from here on; logs go to stderr.
      onShutdown(cleanup);
      await server.connect(new StdioServerTransport());
      // The client closing our stdin is its way of stopping us.
      process.stdin.once('end', () => void shutdownAndExit());
    });
}
