import { describe, expect, it } from 'vitest';
import { EmulatorOptionError, parseDuration } from '../../../main/emulator/index.js';
import {
  corsAllowedRequestHeaders,
  corsExposedResponseHeaders,
  identifier,
} from '../../../shared/registry/index.js';

describe('parseDuration', () => {
  it.each([
    ['600', 600],
    [600, 600],
    ['90s', 90],
    ['10m', 600],
    ['10min', 600],
    ['1h', 3600],
    ['1.5h', 5400],
    ['1d', 86400],
  ])('%s → %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each(['', 'soon', '-5m', '0', '10 fortnights'])('rejects %j naming the expected form', (input) => {
    expect(() => parseDuration(input)).toThrow(EmulatorOptionError);
    expect(() => parseDuration(input)).toThrow('such as 600, 90s, 10m or 1h');
  });
});

describe('backend CORS lists', () => {
  it('legacy lists contain no hexclave name; dual lists add every twin of the legacy ones', () => {
    for (const generation of ['legacy', 'dual'] as const) {
      const allowed = corsAllowedRequestHeaders(generation);
      expect(new Set(allowed).size).toBe(allowed.length);
    }
    expect(corsAllowedRequestHeaders('legacy').some((n) => n.startsWith('x-hexclave-'))).toBe(false);
    const dual = corsAllowedRequestHeaders('dual');
    for (const name of corsAllowedRequestHeaders('legacy')) {
      expect(dual).toContain(name);
      if (name.startsWith('x-stack-')) expect(dual).toContain(name.replace('x-stack-', 'x-hexclave-'));
    }
    expect(corsExposedResponseHeaders('legacy')).not.toContain(identifier('header.request-id').old);
    expect(corsExposedResponseHeaders('dual')).toContain(identifier('header.request-id').new);
  });
});
