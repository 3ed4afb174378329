import type { Command } from 'commander';
import { type ExpectedMode, redactUrl } from '../../../shared/checker/index.js';
import { redactSecretsInText } from '../../../shared/redact.js';
import { onShutdown, stopOnSignals } from '../../lifecycle/index.js';
import { formatLogLine, startCaptureProxy } from '../../proxy/index.js';
import { COMMAND_TABLE } from '../command-table.js';
import { colorEnabled, logLine } from '../output.js';
import { parsePort } from '../parse-port.js';
import { writePrivateFile } from '../private-file.js';
import { UsageError } from '../usage-error.js';

interface ProxyCommandOptions {
  readonly target?: string;
  readonly port?: string;
  readonly host?: string;
  readonly capacity?: string;
  readonly expect?: string;
  readonly har?: string;
  readonly harUnsafe?: boolean;
  readonly json?: boolean;
}

const MODES: readonly ExpectedMode[] = ['dual', 'legacy', 'unknown'];

function validate(options: ProxyCommandOptions) {
  if (!options.target)
    throw new UsageError('Missing --target URL (the backend to forward to, e.g. http://localhost:8102).');
  let target: URL;
  try {
    target = new URL(options.target);
  } catch {
    throw new UsageError(`--target "${options.target}" is not a URL; use e.g. http://localhost:8102.`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new UsageError(`--target must be http(s), got "${target.protocol}".`);
  const capacity = Number(options.capacity ?? 500);
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new UsageError(`--capacity must be a positive integer, got "${options.capacity}".`);
  const mode = (options.expect ?? 'unknown') as ExpectedMode;
  if (!MODES.includes(mode))
    throw new UsageError(`--expect must be one of ${MODES.join(', ')}, got "${options.expect}".`);
  if (options.harUnsafe && !options.har) throw new UsageError('--har-unsafe needs --har FILE.');
  return { target: target.toString(), capacity, mode, port: parsePort(options.port) };
}

export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description(COMMAND_TABLE.proxy.summary)
    .option('--target <url>', 'backend to forward to, e.g. http://localhost:8102')
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--capacity <n>', 'exchanges kept in memory for the UI and MCP server', '500')
    .option('--expect <mode>', `what the backend should be (${MODES.join(', ')})`, 'unknown')
    .option('--har <file>', 'on exit (Ctrl+C), write the kept exchanges as HAR (secrets redacted)')
    .option('--har-unsafe', 'keep tokens, keys, passwords and cookie values in the HAR')
    .option('--json', 'print NDJSON events ({"event":"ready"…}, {"event":"exchange"…}) instead of lines')
    .action(async (options: ProxyCommandOptions) => {
      const { target, capacity, mode, port } = validate(options);
      stopOnSignals({ log: logLine });
      const proxy = await startCaptureProxy({
        target,
        port,
        host: options.host ?? '127.0.0.1',
        capacity,
        expectedMode: mode,
      });
      // On Ctrl+C: the HAR of what was kept, then the listener closes.
      onShutdown(async () => {
        if (options.har) {
          // 0600 either way: even a redacted HAR shows which users did what.
          writePrivateFile(
            options.har,
            `${JSON.stringify(proxy.exportHar({ unsafe: options.harUnsafe === true }), null, 2)}\n`,
          );
          logLine(`HAR of ${proxy.exchanges().length} exchange(s) written to ${options.har}`);
        }
        await proxy.stop();
      });
      const color = !options.json && colorEnabled();
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ event: 'ready', url: proxy.url, port: proxy.port, target: proxy.target })}\n`,
        );
      } else {
        process.stdout.write(`Proxy listening on ${proxy.url} → ${proxy.target}\n`);
        logLine(
          `Point your SDK's API URL at ${proxy.url} (e.g. NEXT_PUBLIC_HEXCLAVE_API_URL). Press Ctrl+C to stop.`,
        );
      }
      proxy.onExchange((captured) => {
        if (!options.json) {
          process.stdout.write(`${redactSecretsInText(formatLogLine(captured, color))}\n`);
          return;
        }
        const { exchange, attribution, findings, worst } = captured;
        const event = {
          event: 'exchange',
          id: exchange.id,
          method: exchange.request.method,
          url: redactUrl(exchange.request.url),
          status: exchange.response?.status ?? null,
          family: attribution.family,
          worst,
          findings: findings.filter((f) => f.severity !== 'info'),
        };
        // Findings already show secrets redacted; the last pass catches any key or JWT that slipped into text.
        process.stdout.write(`${redactSecretsInText(JSON.stringify(event))}\n`);
      });
    });
}
