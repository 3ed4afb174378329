import { readFileSync } from 'node:fs';
import { OVERLAY_CONFIG_PLACEHOLDER, type OverlayEmbeddedConfig } from '../../shared/overlay-protocol.js';

/** The built script with this companion's config baked in (base64url JSON, valid inside any quote style). */
export function renderOverlayScript(source: string, config: OverlayEmbeddedConfig): string {
  const at = source.indexOf(OVERLAY_CONFIG_PLACEHOLDER);
  if (at === -1 || source.indexOf(OVERLAY_CONFIG_PLACEHOLDER, at + 1) !== -1) {
    throw new Error(
      `out/overlay/overlay.js must contain the config placeholder exactly once; rebuild it with \`npm run build\`.`,
    );
  }
  const encoded = Buffer.from(JSON.stringify(config)).toString('base64url');
  return source.slice(0, at) + encoded + source.slice(at + OVERLAY_CONFIG_PLACEHOLDER.length);
}

/** Reads the built script once per change of its file (a rebuild while the companion runs is picked up). */
export class OverlayScriptSource {
  private cached: { mtimeMs: number; text: string } | null = null;

  constructor(
    private readonly file: string,
    private readonly mtime: (file: string) => number,
  ) {}

  text(): string {
    const mtimeMs = this.mtime(this.file);
    if (this.cached?.mtimeMs !== mtimeMs) this.cached = { mtimeMs, text: readFileSync(this.file, 'utf8') };
    return this.cached.text;
  }
}
