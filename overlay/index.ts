import { embeddedConfig, scriptApiUrls, windowBridge } from './config.js';
import { installOverlay } from './devtool.js';

// Entry of the one-file script (out/overlay/overlay.js) and of the wrapped window's injection.
const INSTALLED = Symbol.for('hexclave-companion.overlay');

if (typeof window !== 'undefined' && !Reflect.get(window, INSTALLED)) {
  Reflect.set(window, INSTALLED, true);
  installOverlay({
    win: window,
    config: embeddedConfig(),
    bridge: windowBridge(window),
    apiUrls: scriptApiUrls(document.currentScript),
  });
}
