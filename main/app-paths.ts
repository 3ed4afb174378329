import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Hexclave Companion keeps its data (embedded Postgres clusters, projects, secrets). Honours
 * HEXCLAVE_COMPANION_HOME so tests and several parallel installs never share state.
 */
export function appDataDir(): string {
  const override = process.env.HEXCLAVE_COMPANION_HOME;
  if (override) return override;
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'Hexclave Companion');
  if (process.platform === 'win32') {
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Hexclave Companion');
  }
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'hexclave-companion');
}
