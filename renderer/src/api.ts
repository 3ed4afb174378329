import { ApiCallError, type ApiTransport, createApiClient } from '../../shared/api/client.js';

/** The bridge the preload exposes in Electron; absent in a browser. */
interface PreloadBridge {
  call(
    method: string,
    input: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: { name: string; message: string } }>;
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    hexclaveCompanion?: PreloadBridge;
  }
}

function ipcTransport(bridge: PreloadBridge): ApiTransport {
  return {
    async call(method, input) {
      const reply = await bridge.call(method, input);
      if (!reply.ok) throw new ApiCallError(reply.error.name, reply.error.message);
      return reply.result;
    },
    subscribe: (topic, listener) => bridge.subscribe(topic, listener),
  };
}

const TOKEN_KEY = 'hexclave-companion-token';

/**
 * The launch token arrives in the URL fragment once; it is kept in this origin's localStorage (readable only by
 * pages of 127.0.0.1:PORT) so links into the companion opened in a new tab — the overlay's "show in companion" —
 * work too, and removed from the address bar. A new launch brings a new token and overwrites it.
 */
function launchToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    localStorage.setItem(TOKEN_KEY, fromHash);
    const rest = location.hash
      .replace(/^#/, '')
      .replace(/(^|&)token=[^&]*/, '')
      .replace(/^&/, '');
    history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
    return fromHash;
  }
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

function httpTransport(token: string): ApiTransport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  const connect = () => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events?token=${encodeURIComponent(token)}`;
    socket = new WebSocket(url);
    socket.onmessage = (message) => {
      const { topic, payload } = JSON.parse(String(message.data)) as { topic: string; payload: unknown };
      for (const listener of listeners.get(topic) ?? []) listener(payload);
    };
    socket.onclose = () => {
      socket = null;
      if ([...listeners.values()].some((set) => set.size > 0)) setTimeout(connect, 1000);
    };
  };
  return {
    async call(method, input) {
      const response = await fetch(`/api/rpc/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
      const reply = (await response.json()) as
        | { ok: true; result: unknown }
        | { ok: false; error: { name: string; message: string } };
      if (!reply.ok) throw new ApiCallError(reply.error.name, reply.error.message);
      return reply.result;
    },
    subscribe(topic, listener) {
      if (!listeners.has(topic)) listeners.set(topic, new Set());
      listeners.get(topic)!.add(listener);
      if (!socket) connect();
      return () => listeners.get(topic)?.delete(listener);
    },
  };
}

export const api = createApiClient(
  window.hexclaveCompanion ? ipcTransport(window.hexclaveCompanion) : httpTransport(launchToken()),
);
