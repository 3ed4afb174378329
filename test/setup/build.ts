import { buildAll } from '../../scripts/build.mjs';

/**
 * Integration and UI tests run what users run: the built CLI (bin/ → out/main), the built UI and overlay. Build
 * them once per run, and only the targets whose sources changed since the last build (a no-op costs ~50 ms).
 */
export default async function setup() {
  await buildAll({ log: (line) => process.stderr.write(`[build] ${line}\n`) });
}
