/**
 * Every command's one-line summary and exit codes, and nothing else: the top-level help is built from this table
 * without loading any command's code. Each command module reads its summary from here.
 */
export interface CommandInfo {
  readonly summary: string;
  /** Exit code → when it happens; printed under the command's `--help`. */
  readonly exitCodes: Readonly<Record<number, string>>;
}

const USAGE = 'bad usage, or it cannot run (one line on stderr names the cause and the fix)';
const STOPPED = 'stopped by Ctrl+C / SIGTERM, or its stdout was closed';

export const COMMAND_TABLE = {
  ids: {
    summary: 'look up rename identifiers by either name (or a concrete cookie/env name), category or policy',
    exitCodes: { 0: 'printed the matches (also when nothing matches)', 2: USAGE },
  },
  env: {
    summary: 'resolve a project folder’s STACK_*/HEXCLAVE_* variables the way the dual reader does',
    exitCodes: { 0: 'printed the resolution', 2: `${USAGE}, e.g. the folder does not exist` },
  },
  serve: {
    summary: 'serve the companion UI and its API on 127.0.0.1 for a browser (headless mode)',
    exitCodes: { 0: STOPPED, 2: `${USAGE}, e.g. the port is taken` },
  },
  emulator: {
    summary: 'run a local Stack/Hexclave backend (API v1) on real Postgres, dual-protocol or legacy',
    exitCodes: {
      0: `${STOPPED}; the server and Postgres were shut down`,
      1: 'a second signal arrived before the shutdown finished',
      2: `${USAGE}, e.g. the port is taken or the database unreachable`,
    },
  },
  check: {
    summary:
      'prove a backend serves old (x-stack-*) and new (x-hexclave-*) SDKs; exit 0 only when it is dual',
    exitCodes: {
      0: 'the backend is dual and no finding is an error',
      1: 'the backend is legacy or broken, or an error finding was reported',
      2: `${USAGE}: cannot check — the backend is unreachable, the project is unknown, a key is wrong, or the URL is not a Stack/Hexclave API`,
    },
  },
  proxy: {
    summary: 'reverse proxy for SDK traffic: forwards unchanged, checks every exchange, one line per request',
    exitCodes: {
      0: `${STOPPED} (the HAR, if asked for, was written)`,
      2: `${USAGE}, e.g. the port is taken`,
    },
  },
  mcp: {
    summary: 'run the MCP server for AI editors over stdio (ask_hexclave, ask_stack_auth, project tools)',
    exitCodes: {
      0: 'the editor closed stdin, or Ctrl+C / SIGTERM; with --json: printed; with --create-reader-role: created',
      2: `${USAGE}, e.g. --create-reader-role through a role that may not create roles`,
    },
  },
  sync: {
    summary:
      "mirror a project's users (contact channels, teams, …) into your own Postgres, in upstream's tables",
    exitCodes: {
      0: `--once: caught up; otherwise ${STOPPED}`,
      1: '--once: a target kept failing (listed under "errors", one line on stderr)',
      2: `${USAGE}, e.g. a database or the API source is unreachable, or refuses the key`,
    },
  },
  scan: {
    summary:
      'find every Stack/Hexclave identifier in a project with what the rename does to it, and the SDK versions of its deploy',
    exitCodes: {
      0: 'printed the report (nothing breaks), the --fix diff, or --sdk found every name in the registry',
      1: 'a finding breaks, or --sdk found names the registry lacks',
      2: `${USAGE}, e.g. the folder does not exist`,
    },
  },
} as const satisfies Record<string, CommandInfo>;

export type CommandName = keyof typeof COMMAND_TABLE;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_TABLE, name);
}

export function exitCodesHelp(info: CommandInfo): string {
  const lines = Object.entries(info.exitCodes).map(([code, meaning]) => `  ${code}  ${meaning}`);
  return `\nExit codes:\n${lines.join('\n')}\n`;
}
