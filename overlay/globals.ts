import { GLOBAL_NAMES } from './names.js';

/** The SDK dev tool's console methods (2.8.102 and 2.8.108: enable, disable, reset). */
const SDK_METHODS = ['enable', 'disable', 'reset'] as const;

type Api = object;

function adoptInto(api: Api, value: unknown, adopted: Set<string>): void {
  if (value === api || typeof value !== 'object' || value === null) return;
  for (const method of SDK_METHODS) {
    const fn = (value as Record<string, unknown>)[method];
    if (typeof fn !== 'function') continue;
    Object.defineProperty(api, method, {
      configurable: true,
      enumerable: true,
      writable: true,
      value: (...args: unknown[]) => Reflect.apply(fn, value, args),
    });
    adopted.add(method);
  }
}

/**
 * `window.StackDevTool` and `window.HexclaveDevTool` become our object. When the SDK's dev tool already set them,
 * or sets them later (it assigns `window.HexclaveDevTool = window.StackDevTool = {enable, disable, reset}` when
 * its module loads), its methods are kept on our object, so `StackDevTool.enable()` keeps doing what it did.
 * Returns the names of the adopted methods (live).
 */
export function installGlobals(target: Window, api: Api): ReadonlySet<string> {
  const adopted = new Set<string>();
  for (const name of GLOBAL_NAMES) {
    adoptInto(api, Reflect.get(target, name), adopted);
    try {
      Object.defineProperty(target, name, {
        configurable: true,
        enumerable: true,
        get: () => api,
        set: (value: unknown) => adoptInto(api, value, adopted),
      });
    } catch {
      // A non-configurable global (someone froze it): leave it alone rather than break the page.
    }
  }
  return adopted;
}
