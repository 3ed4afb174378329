/**
 * Upstream's config-override format: an object whose keys may use dot notation (`auth.otp.allowSignIn`), layered
 * project → branch → environment. Overriding a key replaces that key and everything below it; `null` means "back
 * to the default". These helpers are pure, so the storage and the renderer agree on one reading of the format.
 */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | ConfigOverride;
export interface ConfigOverride {
  [keyOrDottedPath: string]: ConfigValue | undefined;
}

const KEY = /^[a-zA-Z0-9_:$][a-zA-Z0-9_:$-]*(?:\.[a-zA-Z0-9_:$][a-zA-Z0-9_:$-]*)*$/;

const isPlainObject = (value: unknown): value is ConfigOverride =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `value` is not a config override (names the offending key), or null when it is one. */
export function invalidOverrideReason(value: unknown, path = 'config'): string | null {
  if (!isPlainObject(value)) return `${path} must be a JSON object`;
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined) continue;
    if (!KEY.test(key)) return `${path} has an invalid key ${JSON.stringify(key)}`;
    const reason = invalidValueReason(entry, `${path}.${key}`);
    if (reason) return reason;
  }
  return null;
}

function invalidValueReason(value: unknown, path: string): string | null {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      if (item === null) return `${path}[${index}] is null; list items cannot be null`;
      const reason = invalidValueReason(item, `${path}[${index}]`);
      if (reason) return reason;
    }
    return null;
  }
  if (isPlainObject(value)) return invalidOverrideReason(value, path);
  return `${path} has a value that is not JSON`;
}

/** `patch` on top of `base`: a key of the patch drops the same key and its dotted descendants from the base. */
export function applyOverride(base: ConfigOverride, patch: ConfigOverride): ConfigOverride {
  const patchKeys = Object.keys(patch).filter((key) => patch[key] !== undefined);
  const kept = Object.entries(base).filter(
    ([key]) => !patchKeys.some((patchKey) => key === patchKey || key.startsWith(`${patchKey}.`)),
  );
  return { ...Object.fromEntries(kept), ...Object.fromEntries(patchKeys.map((key) => [key, patch[key]])) };
}

/** Remove keys (and their descendants, flat or nested) from an override, as upstream's reset-keys does. */
export function removeOverrideKeys(config: ConfigOverride, keys: readonly string[]): ConfigOverride {
  const result: ConfigOverride = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || keys.some((k) => key === k || key.startsWith(`${k}.`))) continue;
    const nested = keys.filter((k) => k.startsWith(`${key}.`)).map((k) => k.slice(key.length + 1));
    if (nested.length > 0 && isPlainObject(value)) {
      const cleaned = removeOverrideKeys(value, nested);
      if (Object.keys(cleaned).length > 0) result[key] = cleaned;
    } else {
      result[key] = value;
    }
  }
  return result;
}

export type NormalizedConfig = { [key: string]: NormalizedValue };
export type NormalizedValue = string | number | boolean | NormalizedValue[] | NormalizedConfig;

/**
 * Dotted keys to nested objects, shallow keys first (so `a` then `a.b` refines `a`). `null` leaves the key out, so
 * the default applies; dotting into a value that is not an object is ignored, as upstream's renderer does.
 */
export function normalizeOverride(config: ConfigOverride): NormalizedConfig {
  const depth = (key: string) => key.split('.').length;
  const result: NormalizedConfig = {};
  for (const key of Object.keys(config).sort((a, b) => depth(a) - depth(b))) {
    const value = config[key];
    if (value === undefined) continue;
    const segments = key.split('.');
    const last = segments.pop()!;
    let current: NormalizedConfig | null = result;
    for (const segment of segments) {
      const next: NormalizedValue | undefined = current[segment];
      if (next === undefined) current[segment] = {};
      else if (!isPlainObject(next)) {
        current = null;
        break;
      }
      current = current[segment] as NormalizedConfig;
    }
    if (!current) continue;
    if (value === null) delete current[last];
    else current[last] = normalizeValue(value);
  }
  return result;
}

function normalizeValue(value: Exclude<ConfigValue, null>): NormalizedValue {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map((v) => normalizeValue(v!));
  if (isPlainObject(value)) return normalizeOverride(value);
  return value;
}
