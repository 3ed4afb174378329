import { describe, expect, it } from 'vitest';
import { discoverConfigFile, hexclaveEnvName, resolveEnv } from '../../../shared/registry/index.js';

function byName(layers: Parameters<typeof resolveEnv>[0], canonical: string) {
  return resolveEnv(layers).find((r) => r.canonicalName === canonical);
}

describe('env name transform', () => {
  it.each([
    ['STACK_SECRET_SERVER_KEY', 'HEXCLAVE_SECRET_SERVER_KEY'],
    ['NEXT_PUBLIC_STACK_PROJECT_ID', 'NEXT_PUBLIC_HEXCLAVE_PROJECT_ID'],
    ['NEXT_PUBLIC_BROWSER_STACK_API_URL', 'NEXT_PUBLIC_BROWSER_HEXCLAVE_API_URL'],
    ['STACK_AUTH_PROJECT_ID', 'HEXCLAVE_PROJECT_ID'],
    ['NODE_ENV', null],
  ])('%s → %s', (old, expected) => {
    expect(hexclaveEnvName(old)).toBe(expected);
  });
});

describe('env resolution', () => {
  it('reads HEXCLAVE first, reports the conflict and which name won', () => {
    const r = byName(
      [
        {
          source: '.env',
          vars: { STACK_SECRET_SERVER_KEY: 'ssk_old', HEXCLAVE_SECRET_SERVER_KEY: 'ssk_new' },
        },
      ],
      'HEXCLAVE_SECRET_SERVER_KEY',
    )!;
    expect(r.effective).toMatchObject({
      name: 'HEXCLAVE_SECRET_SERVER_KEY',
      value: 'ssk_new',
      source: '.env',
    });
    expect(r.conflict).toBe(true);
    expect(r.secret).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/different values; HEXCLAVE_SECRET_SERVER_KEY wins/);
  });

  it('falls back to the STACK name with a deprecation hint for customer SDK variables', () => {
    const r = byName([{ source: 'process env', vars: { STACK_PROJECT_ID: 'p1' } }], 'HEXCLAVE_PROJECT_ID')!;
    expect(r.effective).toMatchObject({ name: 'STACK_PROJECT_ID', family: 'stack' });
    expect(r.warnings[0]).toMatch(/Only the old name STACK_PROJECT_ID is set/);
  });

  it('applies layer precedence per name before name precedence (dotenv semantics)', () => {
    const r = byName(
      [
        { source: '.env.local', vars: { STACK_API_URL: 'http://local' } },
        { source: '.env', vars: { STACK_API_URL: 'http://base', HEXCLAVE_API_URL: 'http://new' } },
      ],
      'HEXCLAVE_API_URL',
    )!;
    expect(r.effective).toMatchObject({ name: 'HEXCLAVE_API_URL', value: 'http://new', source: '.env' });
    expect(r.candidates.map((c) => `${c.name}@${c.source}`)).toEqual([
      'HEXCLAVE_API_URL@.env',
      'STACK_API_URL@.env.local',
    ]);
  });

  it('never reads the renamed-outright port prefix under its old name', () => {
    const r = byName(
      [{ source: '.env', vars: { NEXT_PUBLIC_STACK_PORT_PREFIX: '91' } }],
      'NEXT_PUBLIC_HEXCLAVE_PORT_PREFIX',
    )!;
    expect(r.effective).toBeNull();
    expect(r.warnings[0]).toMatch(/no longer read .* rename it to NEXT_PUBLIC_HEXCLAVE_PORT_PREFIX/);
  });

  it('warns when an empty HEXCLAVE value masks the STACK one in the customer SDK', () => {
    const r = byName(
      [{ source: '.env', vars: { NEXT_PUBLIC_HEXCLAVE_PROJECT_ID: '', NEXT_PUBLIC_STACK_PROJECT_ID: 'p1' } }],
      'NEXT_PUBLIC_HEXCLAVE_PROJECT_ID',
    )!;
    expect(r.effective).toBeNull();
    expect(r.warnings[0]).toMatch(/set but empty in \.env; @stackframe\/js reads it with \?\?/);
  });

  it('expands templated families and the generic transform for unknown names', () => {
    const results = resolveEnv([
      { source: 'process env', vars: { STACK_EMAIL_HOST: 'smtp', STACK_FOO_BAR: 'x' } },
    ]);
    expect(results.find((r) => r.canonicalName === 'HEXCLAVE_EMAIL_HOST')).toMatchObject({
      entryId: 'env.STACK_EMAIL_{suffix}',
      effective: { name: 'STACK_EMAIL_HOST' },
    });
    expect(results.find((r) => r.canonicalName === 'HEXCLAVE_FOO_BAR')).toMatchObject({ entryId: null });
    expect(results.some((r) => r.canonicalName.includes('NODE'))).toBe(false);
  });
});

describe('config file discovery', () => {
  it('prefers hexclave.config.ts, falls back to stack.config.ts and reports the shadowed one', () => {
    expect(discoverConfigFile((f) => f === 'stack.config.ts')).toEqual({
      chosen: 'stack.config.ts',
      found: ['stack.config.ts'],
      shadowed: [],
    });
    expect(discoverConfigFile((f) => f === 'stack.config.ts' || f === 'hexclave.config.ts')).toEqual({
      chosen: 'hexclave.config.ts',
      found: ['hexclave.config.ts', 'stack.config.ts'],
      shadowed: ['stack.config.ts'],
    });
    expect(discoverConfigFile(() => false).chosen).toBeNull();
  });
});
