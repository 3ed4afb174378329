import { useSyncExternalStore } from 'react';

/** Screens are addressed by the URL fragment (`#sync`, `#traffic/<id>`), so reload and back/forward work. */
export interface Route {
  readonly screen: string;
  readonly param: string | null;
}

function parse(hash: string): Route {
  const [screen = '', param] = hash.replace(/^#\/?/, '').split('/');
  return { screen, param: param ? decodeURIComponent(param) : null };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(defaultScreen: string): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  const route = parse(hash);
  return route.screen ? route : { screen: defaultScreen, param: null };
}

function hashOf(screen: string, param?: string | null): string {
  return param ? `#${screen}/${encodeURIComponent(param)}` : `#${screen}`;
}

export function navigate(screen: string, param?: string): void {
  location.hash = hashOf(screen, param);
}

/** Change the route without a history entry (e.g. moving a list selection with the arrow keys). */
export function replaceRoute(screen: string, param?: string | null): void {
  const hash = hashOf(screen, param);
  if (location.hash === hash) return;
  history.replaceState(null, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
