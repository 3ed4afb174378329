import { type DevToolNames, devToolNames, SDK_ROOT_IDS } from './names.js';
import { OVERLAY_CSS } from './ui/styles.js';

const MAX_REMOUNTS_PER_MINUTE = 20;

export interface Mount {
  readonly host: HTMLElement;
  readonly shadow: ShadowRoot;
  names(): DevToolNames;
  destroy(): void;
}

/**
 * The panel's root element with an open shadow root. When the SDK's own dev tool shares our id it wins: 2.8.108's
 * mount removes every element with `#__hexclave-dev-tool-root`, so ours switches to the derived id and comes back.
 */
export function mountRoot(doc: Document, onNamesChanged: (names: DevToolNames) => void): Mount {
  const sdkRootPresent = () => doc.getElementById(SDK_ROOT_IDS.hexclave) !== null;
  let names = devToolNames(sdkRootPresent());
  const host = doc.createElement('div');
  host.id = names.rootId;
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = OVERLAY_CSS;
  shadow.append(style);
  doc.body.append(host);

  const rename = () => {
    if (names.derived) return;
    names = devToolNames(true);
    host.id = names.rootId;
    onNamesChanged(names);
  };
  const remounts: number[] = [];
  const observer = new MutationObserver(() => {
    const clash = doc.getElementById(SDK_ROOT_IDS.hexclave);
    if (clash && clash !== host) rename();
    if (host.isConnected) return;
    const now = Date.now();
    while (remounts.length > 0 && now - remounts[0]! > 60_000) remounts.shift();
    if (remounts.length >= MAX_REMOUNTS_PER_MINUTE) return; // the page keeps removing us: give way
    remounts.push(now);
    if (sdkRootPresent()) rename();
    doc.body.append(host);
  });
  observer.observe(doc.body, { childList: true });

  return {
    host,
    shadow,
    names: () => names,
    destroy() {
      observer.disconnect();
      host.remove();
    },
  };
}
