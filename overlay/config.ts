import { base64ToUtf8 } from '../shared/encoding.js';
import {
  OVERLAY_BRIDGE_GLOBAL,
  OVERLAY_CONFIG_PLACEHOLDER,
  type OverlayEmbeddedConfig,
  type OverlayWindowBridge,
} from '../shared/overlay-protocol.js';

/**
 * The companion replaces the placeholder with its config as base64url JSON when it serves the script (base64url
 * is valid inside any quote style the minifier picks); an unserved build fails to decode it and runs standalone.
 */
export function embeddedConfig(embedded: string = OVERLAY_CONFIG_PLACEHOLDER): OverlayEmbeddedConfig | null {
  try {
    const config = JSON.parse(
      base64ToUtf8(embedded.replace(/-/g, '+').replace(/_/g, '/')),
    ) as Partial<OverlayEmbeddedConfig>;
    if (typeof config.companionOrigin === 'string' && typeof config.ingestToken === 'string') {
      return {
        companionOrigin: config.companionOrigin,
        ingestToken: config.ingestToken,
        version: String(config.version),
      };
    }
  } catch {
    // not served by a companion
  }
  return null;
}

export function windowBridge(win: Window): OverlayWindowBridge | null {
  const bridge = Reflect.get(win, OVERLAY_BRIDGE_GLOBAL) as OverlayWindowBridge | undefined;
  return bridge && typeof bridge.onTraffic === 'function' ? bridge : null;
}

/** `<script src=".../overlay.js" data-api-url="https://api.example.com, …">` names extra backend URLs. */
export function scriptApiUrls(script: HTMLOrSVGScriptElement | null): string[] {
  const value = script instanceof HTMLScriptElement ? script.dataset.apiUrl : undefined;
  return (value ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
}
