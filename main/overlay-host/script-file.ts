import { buildOutput, requireBuildOutput } from '../build-output.js';

/** The built in-page script (vite library mode, `overlay/vite.config.ts`), made by `npm run build`. */
export function overlayScriptFile(): string {
  return requireBuildOutput(buildOutput('overlay', 'overlay.js'), 'The in-page overlay');
}
