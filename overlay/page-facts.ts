import { entriesOf, findByName } from '../shared/registry/index.js';
import { parseDocumentCookie } from './analysis/cookie-pairs.js';
import type { PageFacts } from './analysis/model.js';
import { SDK_ROOT_IDS } from './names.js';

const DOM_IDS = entriesOf('dom-id').flatMap((e) => [e.old, ...(e.new ? [e.new] : [])]);
const RECENT_URLS = 20;

function registryKeys(storage: Storage | undefined): Record<string, string> | undefined {
  if (!storage) return undefined;
  const out: Record<string, string> = {};
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key === null) continue;
      if (findByName(key).some((m) => m.entry.category === 'storage-key'))
        out[key] = storage.getItem(key) ?? '';
    }
  } catch {
    return undefined; // storage blocked
  }
  return out;
}

/** Ids of dev-tool roots in the page, ours excluded. */
export function presentDomIds(
  doc: Document,
  own: Element | null,
  ids: readonly string[] = DOM_IDS,
): string[] {
  return ids.filter((id) => {
    const element = doc.getElementById(id);
    return element !== null && element !== own;
  });
}

export function sdkDevToolRoots(doc: Document, own: Element | null): string[] {
  return presentDomIds(doc, own, Object.values(SDK_ROOT_IDS));
}

/** What the snapshot rules read from a page: its cookies, the registry's storage keys, URLs and dev-tool roots. */
export class PageFactsReader {
  private readonly urls: string[] = [];

  constructor(private readonly win: Window) {}

  read(own: Element | null): PageFacts {
    const href = this.win.location.href;
    if (this.urls[this.urls.length - 1] !== href) this.urls.push(href);
    this.urls.splice(0, Math.max(0, this.urls.length - RECENT_URLS));
    const doc = this.win.document;
    let cookie = '';
    try {
      cookie = doc.cookie;
    } catch {
      // sandboxed document without cookie access
    }
    return {
      pageUrl: href,
      cookies: parseDocumentCookie(cookie),
      localStorage: registryKeys(safeStorage(() => this.win.localStorage)),
      sessionStorage: registryKeys(safeStorage(() => this.win.sessionStorage)),
      recentUrls: [...this.urls],
      domIds: presentDomIds(doc, own),
    };
  }
}

function safeStorage(get: () => Storage): Storage | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}
