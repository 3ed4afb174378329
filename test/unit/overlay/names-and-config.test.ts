import { describe, expect, it } from 'vitest';
import { renderOverlayScript } from '../../../main/overlay-host/index.js';
import { embeddedConfig } from '../../../overlay/config.js';
import { devToolNames, GLOBAL_NAMES } from '../../../overlay/names.js';
import { OVERLAY_CONFIG_PLACEHOLDER } from '../../../shared/overlay-protocol.js';
import { identifier } from '../../../shared/registry/index.js';

describe('dev tool names', () => {
  it('come from the registry: hexclave names only (rename-outright), both global names', () => {
    const names = devToolNames(false);
    expect(names.rootId).toBe(identifier('dom.dev-tool-root').new);
    expect(names.triggerAttribute).toBe(identifier('dom.dev-tool-trigger').new);
    expect(names.stateKey.startsWith(identifier('storage.dev-tool-state').new!)).toBe(true);
    expect(names.positionKey.startsWith(identifier('storage.dev-tool-trigger-position').new!)).toBe(true);
    expect(JSON.stringify(names)).not.toMatch(/__stack-|data-stack-|stack-devtool/);
    expect(GLOBAL_NAMES).toEqual(['StackDevTool', 'HexclaveDevTool']);
  });

  it('never share storage keys with the SDK panel, and derive a distinct root id when its root is in the page', () => {
    const names = devToolNames(true);
    expect(names.derived).toBe(true);
    expect(names.rootId).toBe('__hexclave-dev-tool-root--companion');
    expect(names.notes.join(' ')).toContain('#__hexclave-dev-tool-root--companion');
    expect(names.stateKey).not.toBe(identifier('storage.dev-tool-state').new);
    expect(devToolNames(false).stateKey).toBe(names.stateKey); // stable whatever the page holds
  });
});

describe('config baked into the served script', () => {
  // Quotes of every kind and a template placeholder in the token: base64url carries them through any literal.
  const config = { companionOrigin: 'http://127.0.0.1:4321', ingestToken: `tok-"'\`$\{x}`, version: '1.2.3' };

  it.each(["'", '"', '`'])('survives any quote style the minifier picks (%s)', (quote) => {
    const built = `const c=${quote}${OVERLAY_CONFIG_PLACEHOLDER}${quote};globalThis.result=c;`;
    const served = renderOverlayScript(built, config);
    const scope: { result?: string } = {};
    new Function('globalThis', served)(scope);
    expect(embeddedConfig(scope.result)).toEqual(config);
  });

  it('is absent from an unserved build, which then runs standalone', () => {
    expect(embeddedConfig()).toBeNull();
  });

  it('refuses a build without exactly one placeholder', () => {
    expect(() => renderOverlayScript('no placeholder', config)).toThrow(/exactly once/);
  });
});
