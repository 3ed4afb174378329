import { readFileSync } from 'node:fs';

/** The app version from package.json (read once; works from source and from the electron-vite bundle). */
export function appVersion(): string {
  for (const candidate of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const json = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (json.name === 'hexclave-companion' && json.version) return json.version;
    } catch {
      // try the next level up
    }
  }
  return '0.0.0';
}
