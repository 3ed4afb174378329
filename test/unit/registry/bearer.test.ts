import { describe, expect, it } from 'vitest';
import { BearerParseError, formatBearer, parseBearer } from '../../../shared/registry/index.js';

const auth = { accessToken: 'eyJ.access', refreshToken: 'rt_ünïcode' };

describe('SDK bearer value', () => {
  it('emits hexclave_ by default and round-trips through the parser', () => {
    const value = formatBearer(auth)!;
    expect(value).toMatch(/^Bearer hexclave_[A-Za-z0-9+/]+=*$/);
    expect(parseBearer(value)).toEqual({ family: 'hexclave', prefix: 'hexclave_', auth });
  });

  it('accepts the stackauth_ value the published SDK still emits', () => {
    // Exactly what @stackframe/js getAuthorizationHeader() produces: standard base64 of the JSON, padded.
    const legacy = `Bearer stackauth_${Buffer.from(JSON.stringify({ accessToken: 'a', refreshToken: null })).toString('base64')}`;
    expect(parseBearer(legacy)).toEqual({
      family: 'stack',
      prefix: 'stackauth_',
      auth: { accessToken: 'a', refreshToken: null },
    });
  });

  it('returns null when there is no token to carry', () => {
    expect(formatBearer({ accessToken: null, refreshToken: null })).toBeNull();
  });

  it.each([
    ['Basic abc', /not a Bearer token/],
    ['Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig', /no "hexclave_" or "stackauth_" prefix.*bare JWT/],
    ['Bearer hexclave_', /empty payload/],
    ['Bearer hexclave_%%%', /not valid standard base64/],
    [`Bearer hexclave_${btoa('not json')}`, /not JSON/],
    [`Bearer hexclave_${btoa('[1,2]')}`, /must be a JSON object/],
    [`Bearer stackauth_${btoa('{"accessToken":5}')}`, /must be strings or null/],
  ])('rejects %s with a clear error', (value, message) => {
    expect(() => parseBearer(value)).toThrow(BearerParseError);
    expect(() => parseBearer(value)).toThrow(message);
  });
});
