import { join } from 'node:path';
import { buildOutput, requireBuildOutput } from '../build-output.js';

/** The built UI served to browsers (`renderer/vite.config.ts`), made by `npm run build`. */
export function rendererDir(): string {
  const dir = buildOutput('renderer');
  requireBuildOutput(join(dir, 'index.html'), 'The companion UI');
  return dir;
}
