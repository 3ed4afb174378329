import { hexclaveEnvName } from '../env-names.js';
import type { EnvGroup, IdentifierEntry } from '../types.js';

interface EnvOptions {
  secret?: boolean;
  aliases?: readonly string[];
  /** Canonical new name when it is not the plain prefix swap (alias clusters, STACK_AUTH_* secrets). */
  newName?: string;
  notes?: string;
  shipped?: string;
  planDifference?: string;
}

const SDK_READS =
  '@stackframe/js 2.8.108 reads process.env.<HEXCLAVE name> ?? process.env.<STACK name>: an empty HEXCLAVE value masks a set STACK one. No deprecation warning.';

const SHARED_READS =
  "Read through @stackframe/stack-shared's getEnvVariable, which in 2.8.108 tries the HEXCLAVE_ name first (2.8.102: the STACK_ name only).";

const GROUP_REFS: Record<EnvGroup, string> = {
  A: 'hexclave-rename.md §16A',
  B: 'hexclave-rename.md §16B',
  C: 'hexclave-rename.md §16C',
  D: 'hexclave-rename.md §16D',
  E: 'hexclave-rename.md §16E',
};

function env(group: EnvGroup, old: string, concept: string, options: EnvOptions = {}): IdentifierEntry {
  const { aliases, newName, ...rest } = options;
  return {
    id: `env.${old}`,
    category: 'env-var',
    concept,
    old,
    new: newName ?? hexclaveEnvName(old),
    ...(aliases ? { oldAliases: aliases } : {}),
    policy: 'read-new-first',
    sides: group === 'C' ? ['backend', 'docker'] : group === 'D' ? ['dashboard', 'cli'] : ['sdk', 'cli'],
    specRef: GROUP_REFS[group],
    envGroup: group,
    ...rest,
  };
}

export const ENV_ENTRIES: readonly IdentifierEntry[] = [
  // A. Customer SDK env vars: read new first; warn when only the old name is set.
  env('A', 'NEXT_PUBLIC_STACK_PROJECT_ID', 'Project id (Next client)', { shipped: SDK_READS }),
  env('A', 'NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY', 'Publishable client key (Next client)', {
    shipped: SDK_READS,
  }),
  env('A', 'NEXT_PUBLIC_STACK_API_URL', 'API URL (Next client)', { shipped: SDK_READS }),
  env('A', 'NEXT_PUBLIC_STACK_DASHBOARD_URL', 'Dashboard URL (Next client)'),
  env('A', 'NEXT_PUBLIC_STACK_URL', 'Base URL (Next client, older name for the API URL)', {
    shipped: SDK_READS,
  }),
  env('A', 'NEXT_PUBLIC_STACK_HOSTED_HANDLER_DOMAIN_SUFFIX', 'Hosted handler domain suffix', {
    shipped: SDK_READS,
  }),
  env('A', 'NEXT_PUBLIC_STACK_HOSTED_HANDLER_URL_TEMPLATE', 'Hosted handler URL template', {
    shipped: SDK_READS,
  }),
  env('A', 'NEXT_PUBLIC_STACK_EXTRA_REQUEST_HEADERS', 'Extra request headers JSON (client)', {
    shipped: SDK_READS,
  }),
  env('A', 'STACK_PROJECT_ID', 'Project id (server)', { shipped: SDK_READS }),
  env('A', 'STACK_PUBLISHABLE_CLIENT_KEY', 'Publishable client key (server)', { shipped: SDK_READS }),
  env('A', 'STACK_SECRET_SERVER_KEY', 'Secret server key', { secret: true, shipped: SDK_READS }),
  env('A', 'STACK_SUPER_SECRET_ADMIN_KEY', 'Super secret admin key', { secret: true, shipped: SDK_READS }),
  env('A', 'STACK_API_URL', 'API URL (server)', { shipped: SDK_READS }),
  env('A', 'STACK_API_URL_BROWSER', 'API URL override in browser context', { shipped: SDK_READS }),
  env('A', 'STACK_API_URL_SERVER', 'API URL override in server context', { shipped: SDK_READS }),
  env('A', 'STACK_DASHBOARD_URL', 'Dashboard URL (server)'),
  env('A', 'STACK_DASHBOARD_BASE_URL', 'Dashboard base URL (server)'),
  env('A', 'STACK_EXTRA_REQUEST_HEADERS', 'Extra request headers JSON (server)', { shipped: SDK_READS }),
  env('A', 'VITE_STACK_PROJECT_ID', 'Project id (Vite)', {
    shipped: 'Not read by @stackframe/js (either version); Vite apps read it at their own use sites.',
  }),
  env('A', 'VITE_STACK_PUBLISHABLE_CLIENT_KEY', 'Publishable client key (Vite)', {
    shipped: 'Not read by @stackframe/js (either version); Vite apps read it at their own use sites.',
  }),
  env('A', 'VITE_STACK_API_URL', 'API URL (Vite)', {
    shipped: 'Not read by @stackframe/js (either version); Vite apps read it at their own use sites.',
  }),
  // B. Framework / internal URL clusters: many old names, one canonical new name.
  // The SDK swaps the prefix name by name (docs/sdk-as-shipped.md §6.1) instead of the plan's clusters.
  env('B', 'NEXT_PUBLIC_BROWSER_STACK_API_URL', 'Browser API URL (infix form)', {
    shipped: SDK_READS,
    planDifference:
      'Plan: one canonical NEXT_PUBLIC_HEXCLAVE_API_URL_BROWSER for the whole browser-URL cluster.',
  }),
  env('B', 'NEXT_PUBLIC_STACK_API_URL_BROWSER', 'Browser API URL (suffix form)', { shipped: SDK_READS }),
  env('B', 'NEXT_PUBLIC_SERVER_STACK_API_URL', 'Server API URL (infix form)', {
    shipped: SDK_READS,
    planDifference:
      'Plan: one canonical NEXT_PUBLIC_HEXCLAVE_API_URL_SERVER for the whole server-URL cluster.',
  }),
  env('B', 'NEXT_PUBLIC_STACK_API_URL_SERVER', 'Server API URL (suffix form)', { shipped: SDK_READS }),
  env('B', 'NEXT_PUBLIC_BROWSER_STACK_DASHBOARD_URL', 'Browser dashboard URL', {
    aliases: ['NEXT_PUBLIC_STACK_DASHBOARD_URL_BROWSER'],
    newName: 'NEXT_PUBLIC_HEXCLAVE_DASHBOARD_URL_BROWSER',
  }),
  env('B', 'NEXT_PUBLIC_SERVER_STACK_DASHBOARD_URL', 'Server dashboard URL', {
    aliases: ['NEXT_PUBLIC_STACK_DASHBOARD_URL_SERVER'],
    newName: 'NEXT_PUBLIC_HEXCLAVE_DASHBOARD_URL_SERVER',
  }),
  env('B', 'NEXT_PUBLIC_STACK_IS_LOCAL_EMULATOR', 'Running against the local emulator', {
    shipped: SDK_READS,
  }),
  env('A', 'NEXT_PUBLIC_STACK_STRIPE_PUBLISHABLE_KEY', 'Stripe publishable key (client)', {
    shipped: `${SDK_READS} Not in the plan's lists.`,
  }),
  env('A', 'NEXT_PUBLIC_STACK_BOT_CHALLENGE_SITE_KEY', 'Bot challenge site key', {
    shipped: `${SDK_READS} Not in the plan's lists.`,
  }),
  env('A', 'NEXT_PUBLIC_STACK_BOT_CHALLENGE_INVISIBLE_SITE_KEY', 'Invisible bot challenge site key', {
    shipped: `${SDK_READS} Not in the plan's lists.`,
  }),
  env('B', 'NEXT_PUBLIC_STACK_IS_REMOTE_DEVELOPMENT_ENVIRONMENT', 'Running in a remote dev environment'),
  env('B', 'NEXT_PUBLIC_STACK_IS_PREVIEW', 'Preview deployment flag'),
  {
    ...env('B', 'NEXT_PUBLIC_STACK_PORT_PREFIX', 'Local dev port prefix (default 81)'),
    policy: 'rename-outright',
    notes:
      'The sole env exception: renamed outright, the old name is no longer read. Update .env and Docker files.',
  },
  // C. Self-host / operator: dual-read, prefer HEXCLAVE.
  env('C', 'STACK_DATABASE_CONNECTION_STRING', 'Backend database connection string', { secret: true }),
  env('C', 'STACK_DATABASE_REPLICA_CONNECTION_STRING', 'Backend read-replica connection string', {
    secret: true,
  }),
  env('C', 'STACK_SERVER_SECRET', 'JWT signing key material (base64url)', { secret: true }),
  env('C', 'STACK_ACCESS_TOKEN_EXPIRATION_TIME', 'Access-token lifetime (default 10min)'),
  env('C', 'STACK_EMAIL_{suffix}', 'Email server settings', { secret: true }),
  env('C', 'STACK_S3_{suffix}', 'S3 storage settings', { secret: true }),
  env('C', 'STACK_SVIX_{suffix}', 'Svix webhooks settings', { secret: true }),
  env('C', 'STACK_QSTASH_{suffix}', 'QStash queue settings', { secret: true }),
  env('C', 'STACK_STRIPE_{suffix}', 'Stripe settings', { secret: true }),
  env('C', 'STACK_FREESTYLE_{suffix}', 'Freestyle settings', { secret: true }),
  env('C', 'STACK_CLICKHOUSE_{suffix}', 'ClickHouse analytics settings', { secret: true }),
  env('C', 'STACK_OPENROUTER_API_KEY', 'OpenRouter API key', { secret: true }),
  env('C', 'STACK_MCP_LOG_TOKEN', 'MCP log token', { secret: true }),
  env('C', 'STACK_RUN_MIGRATIONS', 'Run migrations at container start'),
  env('C', 'STACK_RUN_SEED_SCRIPT', 'Run the seed script at container start'),
  env('C', 'STACK_SEED_INTERNAL_PROJECT_{suffix}', 'Internal project seed settings', { secret: true }),
  env('C', 'STACK_LOCAL_EMULATOR_CONFIG_CONTENT', 'Local emulator config content (base64)'),
  env('C', 'STACK_LOCAL_EMULATOR_HOST_MOUNT_ROOT', 'Local emulator host mount root'),
  env('C', 'STACK_{provider}_CLIENT_ID', 'Dynamic OAuth provider client id'),
  env('C', 'STACK_{provider}_CLIENT_SECRET', 'Dynamic OAuth provider client secret', { secret: true }),
  // D. GitHub onboarding workflow: STACK_AUTH_X secrets map to HEXCLAVE_X (no _AUTH).
  env('D', 'STACK_AUTH_PROJECT_ID', 'Workflow secret: project id'),
  env('D', 'STACK_AUTH_SECRET_SERVER_KEY', 'Workflow secret: secret server key', { secret: true }),
  env('D', 'STACK_AUTH_CONFIG_PATH', 'Workflow secret: config path'),
  env('D', 'STACK_AUTH_SOURCE_REPO', 'Workflow secret: source repo'),
  env('D', 'STACK_AUTH_SOURCE_WORKFLOW_PATH', 'Workflow secret: source workflow path'),
  // E. Build / dev / test tooling.
  env('E', 'STACK_SKIP_TEMPLATE_GENERATION', 'Skip template generation'),
  env('E', 'STACK_DISABLE_REACT_ASYNC_DEBUG_INFO', 'Disable React async debug info'),
  env('E', 'STACK_ENABLE_HARDCODED_PASSKEY_CHALLENGE_FOR_TESTING', 'Hard-coded passkey challenge (tests)'),
  env('E', 'STACK_RUN_SETUP_WIZARD_TESTS', 'Run setup wizard tests'),
  env('E', 'STACK_TEST_SDK_FALLBACK', 'SDK fallback in tests'),
  // Read by @stackframe/stack-shared's env helpers, which try the HEXCLAVE_ name first in 2.8.108; found by the
  // SDK extractor (docs/scan.md), not in the plan's lists.
  env('C', 'STACK_AWS_{suffix}', 'AWS KMS settings of the data vault (server side)', {
    secret: true,
    shipped: `${SHARED_READS} Not in the plan's lists.`,
  }),
  env('B', 'STACK_BASE_URL', 'Older name of the API URL (server helpers)', {
    shipped: `stack-shared's getEnvVariable falls back to HEXCLAVE_BASE_URL ?? STACK_BASE_URL (then NEXT_PUBLIC_STACK_URL) when NEXT_PUBLIC_STACK_API_URL is unset, and refuses it when asked for it by name. Not in the plan's lists.`,
  }),
  env('C', 'STACK_FEATUREBASE_API_KEY', 'Featurebase API key', {
    secret: true,
    shipped: `${SHARED_READS} Not in the plan's lists.`,
  }),
  env('C', 'STACK_INTEGRATION_CLIENTS_CONFIG', 'OAuth clients of integrations (Neon), JSON', {
    secret: true,
    shipped: `${SHARED_READS} Not in the plan's lists.`,
  }),
  env('E', 'STACK_SEED_MODE', 'Seed script running (relaxes tracing checks)', {
    shipped: `${SHARED_READS} Not in the plan's lists.`,
  }),
  env(
    'E',
    'STACK_DEV_ENVS_PATH',
    'Where local dev environments are recorded (default ~/.stack/dev-envs.json)',
    {
      shipped:
        'stack-shared reads process.env.STACK_DEV_ENVS_PATH only, in both versions: no HEXCLAVE_ name.',
      planDifference: 'Plan: every STACK_* build/dev variable is dual-read.',
    },
  ),
  env('E', 'NEXT_PUBLIC_STACK_DEBUGGER_ON_ASSERTION_ERROR', 'Break into the debugger on assertion errors', {
    shipped:
      'stack-shared reads process.env.NEXT_PUBLIC_STACK_DEBUGGER_ON_ASSERTION_ERROR only, in both versions: no HEXCLAVE_ name.',
    planDifference: 'Plan: every STACK_* build/dev variable is dual-read.',
  }),
  env('A', 'STACK_CLI_CONFIG_PATH', 'CLI credentials path override', {
    notes:
      'The plan names no new override; the central transform gives HEXCLAVE_CLI_CONFIG_PATH (inference).',
  }),
];
