import { type Family, identifier } from '../shared/registry/index.js';

/**
 * DOM and storage names of the dev tool, from the registry's dev-tool entries. Their policy is rename-outright, so
 * only the hexclave name is ever used (writing a stack name would plant the very orphan the storage rules report).
 */
const ROOT = identifier('dom.dev-tool-root');
const TRIGGER = identifier('dom.dev-tool-trigger');
const STATE = identifier('storage.dev-tool-state');
const POSITION = identifier('storage.dev-tool-trigger-position');
const GLOBAL = identifier('global.dev-tool');

/** Appended where sharing the SDK's name would collide with the SDK's own dev tool. */
export const COMPANION_SUFFIX = '--companion';

export interface DevToolNames {
  readonly rootId: string;
  readonly triggerAttribute: string;
  readonly stateKey: string;
  readonly positionKey: string;
  /** True when the root id had to differ from the registry name. */
  readonly derived: boolean;
  /** Why names differ from the registry's, in plain words. */
  readonly notes: readonly string[];
}

/** `window.StackDevTool` / `window.HexclaveDevTool`, both from the registry. */
export const GLOBAL_NAMES: readonly string[] = [GLOBAL.old, GLOBAL.new!];

/** Root ids of the SDK's own dev tool in either generation (2.8.102 `__stack-…`, 2.8.108 `__hexclave-…`). */
export const SDK_ROOT_IDS: Readonly<Record<Family, string>> = { stack: ROOT.old, hexclave: ROOT.new! };

const STORAGE_NOTE = `Storage keys are the registry's hexclave names plus "${COMPANION_SUFFIX}": the SDK's own panel rewrites ${STATE.new} and ${POSITION.new} whole, and writing them would change what the storage rules report about the page.`;

/**
 * Names for our panel. `sdkRootPresent` is whether the page already holds the SDK dev tool's root with the
 * registry id: then ours takes a distinct id (2.8.108's mount also removes every element with its id).
 */
export function devToolNames(sdkRootPresent: boolean): DevToolNames {
  const notes = [STORAGE_NOTE];
  if (sdkRootPresent) {
    notes.unshift(
      `The SDK's own dev tool root (#${ROOT.new}) is in the page, so this panel uses #${ROOT.new}${COMPANION_SUFFIX}.`,
    );
  }
  return {
    rootId: sdkRootPresent ? `${ROOT.new}${COMPANION_SUFFIX}` : ROOT.new!,
    triggerAttribute: TRIGGER.new!,
    stateKey: `${STATE.new}${COMPANION_SUFFIX}`,
    positionKey: `${POSITION.new}${COMPANION_SUFFIX}`,
    derived: sdkRootPresent,
    notes,
  };
}
