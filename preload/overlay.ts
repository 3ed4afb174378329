import { contextBridge, ipcRenderer, webFrame } from 'electron';
import {
  OVERLAY_BRIDGE_GLOBAL,
  OVERLAY_IPC,
  type OverlayWindowBridge,
  type WindowTrafficItem,
} from '../shared/overlay-protocol.js';

// The only preload of the wrapped app window (the developer's own app). It gives the page's main world a bridge
// with two functions — receive the traffic the companion captured for this page, send a snapshot or focus
// request — and then runs the overlay script there. Nothing of Node, Electron or the companion's API leaks in.

const BACKLOG = 50;
const backlog: WindowTrafficItem[] = [];
const listeners = new Set<(item: WindowTrafficItem) => void>();

ipcRenderer.on(OVERLAY_IPC.traffic, (_event, item: WindowTrafficItem) => {
  backlog.push(item);
  if (backlog.length > BACKLOG) backlog.shift();
  for (const listener of listeners) listener(item);
});

const bridge: OverlayWindowBridge = {
  onTraffic(listener) {
    listeners.add(listener);
    for (const item of backlog) listener(item);
  },
  report(message) {
    ipcRenderer.send(OVERLAY_IPC.report, message);
  },
};
contextBridge.exposeInMainWorld(OVERLAY_BRIDGE_GLOBAL, bridge);

void ipcRenderer.invoke(OVERLAY_IPC.script).then((source: unknown) => {
  if (typeof source === 'string') void webFrame.executeJavaScript(source);
});
