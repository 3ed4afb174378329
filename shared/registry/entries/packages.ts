import type { IdentifierEntry } from '../types.js';

function alias(old: string, kind: string, where: string): IdentifierEntry {
  return {
    id: `export.${old}`,
    category: 'sdk-export',
    concept: `SDK ${kind} (${where})`,
    old,
    new: old.replace(/Stack/, 'Hexclave'),
    policy: 'dual-accept',
    sides: ['sdk'],
    specRef: 'hexclave-rename.md §15a',
    notes: 'Alias of the same value: both names are exported indefinitely.',
  };
}

function internalRename(old: string): IdentifierEntry {
  return {
    id: `export.${old}`,
    category: 'sdk-export',
    concept: 'Internal class (not exported from customer entrypoints)',
    old,
    new: old.replace(/^Stack/, 'Hexclave'),
    policy: 'rename-outright',
    sides: ['sdk'],
    specRef: 'hexclave-rename.md §15b',
  };
}

function mirror(old: string, replacement: string): IdentifierEntry {
  return {
    id: `package.${old}`,
    category: 'npm-package',
    concept: 'npm package mirror (PR 2)',
    old,
    new: replacement,
    policy: 'dual-accept',
    sides: ['sdk'],
    specRef: 'hexclave-rename.md §15c',
    notes: '@stackframe/* stays on npm and is never unpublished.',
  };
}

export const PACKAGE_ENTRIES: readonly IdentifierEntry[] = [
  alias('StackClientApp', 'class', 'lib/stack-app'),
  alias('StackServerApp', 'class', 'lib/stack-app'),
  alias('StackAdminApp', 'class', 'lib/stack-app'),
  alias('StackClientAppConstructor', 'type', 'lib/stack-app'),
  alias('StackServerAppConstructor', 'type', 'lib/stack-app'),
  alias('StackAdminAppConstructor', 'type', 'lib/stack-app'),
  alias('StackClientAppConstructorOptions', 'type', 'lib/stack-app'),
  alias('StackServerAppConstructorOptions', 'type', 'lib/stack-app'),
  alias('StackAdminAppConstructorOptions', 'type', 'lib/stack-app'),
  alias('StackClientAppJson', 'type', 'lib/stack-app'),
  alias('StackProvider', 'component', 'React entrypoints'),
  alias('StackHandler', 'component', 'React entrypoints'),
  alias('StackTheme', 'component', 'React entrypoints'),
  alias('useStackApp', 'hook', 'React entrypoints'),
  alias('StackConfig', 'type', 'config authoring'),
  alias('defineStackConfig', 'function', 'config authoring'),
  internalRename('StackClientInterface'),
  internalRename('StackServerInterface'),
  internalRename('StackAdminInterface'),
  internalRename('StackAssertionError'),
  {
    id: 'module.emails',
    category: 'module-specifier',
    concept: 'Virtual module imported by customer email templates',
    old: '@stackframe/emails',
    new: '@hexclave/emails',
    policy: 'dual-accept',
    sides: ['backend', 'dashboard'],
    specRef: 'hexclave-rename.md §14',
    notes: 'Both specifiers map to the same backing module.',
  },
  mirror('@stackframe/react', '@hexclave/react'),
  mirror('@stackframe/stack', '@hexclave/next'),
  mirror('@stackframe/js', '@hexclave/js'),
  mirror('@stackframe/stack-shared', '@hexclave/shared'),
  mirror('@stackframe/stack-ui', '@hexclave/ui'),
  mirror('@stackframe/stack-sc', '@hexclave/sc'),
  mirror('@stackframe/stack-cli', '@hexclave/cli'),
  mirror('@stackframe/tanstack-start', '@hexclave/tanstack-start'),
  mirror('@stackframe/dashboard-ui-components', '@hexclave/dashboard-ui-components'),
  {
    id: 'package.@stackframe/init-stack',
    category: 'npm-package',
    concept: 'Init wizard package',
    old: '@stackframe/init-stack',
    new: null,
    policy: 'frozen',
    sides: ['cli'],
    specRef: 'hexclave-rename.md §15c',
    notes: 'Stays published with no mirror; `npx @hexclave/cli@latest init` is the new entry point.',
  },
  {
    id: 'mcp.ask',
    category: 'mcp-tool',
    concept: 'Docs assistant MCP tool',
    old: 'ask_stack_auth',
    new: 'ask_hexclave',
    policy: 'dual-accept',
    sides: ['mcp'],
    specRef: 'hexclave-rename.md §13',
    notes:
      'Both tools are registered through one helper with byte-identical behaviour; PR 3 may remove the old one.',
  },
  {
    id: 'oos.webhook-events',
    category: 'host',
    concept: 'Webhook event types, ClickHouse analytics_internal, the internal project id, API key prefixes',
    old: 'pck_ / ssk_ / sak_ / internal / user.created',
    new: null,
    policy: 'out-of-scope',
    sides: ['backend'],
    specRef: 'hexclave-rename.md §17',
  },
  {
    id: 'oos.sentry-dsn',
    category: 'env-var',
    concept: 'CLI Sentry DSN compile-time define',
    old: '__STACK_CLI_SENTRY_DSN__',
    new: null,
    policy: 'out-of-scope',
    sides: ['cli'],
    specRef: 'hexclave-rename.md §17',
  },
];
