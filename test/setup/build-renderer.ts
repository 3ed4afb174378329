import { ensureRendererBuilt } from '../../main/serve/renderer-build.js';

/** UI tests drive the built renderer; build it once per run when the sources changed. */
export default function setup() {
  ensureRendererBuilt((line) => process.stderr.write(`${line}\n`));
}
