import { UsageError } from './usage-error.js';

/** A `--port` value: 0 (any free port) to 65535; anything else is bad usage. */
export function parsePort(value: string | undefined, flag = '--port'): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(
      `${flag} must be an integer between 0 and 65535 (0 = any free port), got "${value}".`,
    );
  }
  return port;
}
