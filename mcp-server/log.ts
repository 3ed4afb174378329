import { redactSecretsInText } from '../shared/redact.js';

/** stdout belongs to the protocol on stdio: every log line goes to stderr (or to a test's sink). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export function createLogger(sink: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const write = (level: string, message: string) =>
    sink(`[hexclave-mcp] ${level} ${redactSecretsInText(message)}\n`);
  return { info: (m) => write('info', m), warn: (m) => write('warn', m) };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {} };
