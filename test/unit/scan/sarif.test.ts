import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { scanProject, toSarif } from '../../../main/scan/index.js';
import { runCli } from '../../helpers/cli.js';

// `scan --sarif` must be valid SARIF 2.1.0, or GitHub code scanning rejects the upload.

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'scan');
const schema = JSON.parse(readFileSync(join(FIXTURES, 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

describe('SARIF output', () => {
  it.each(['next-app', 'vite-spa', 'monorepo', 'comments-only'])('is valid SARIF 2.1.0 for %s', (name) => {
    const log = toSarif(scanProject(join(FIXTURES, 'projects', name)), '0.1.0');
    const valid = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a log the schema forbids, so the check above can fail', () => {
    const log = toSarif(scanProject(join(FIXTURES, 'projects', 'next-app')), '0.1.0') as unknown as Record<
      string,
      unknown
    >;
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('puts each finding at its file, line and column with the verdict as the level', () => {
    const log = toSarif(scanProject(join(FIXTURES, 'projects', 'next-app')), '0.1.0');
    const result = log.runs[0]!.results!.find((r) => r.ruleId === 'cookie.access')!;
    expect(result.level).toBe('error');
    expect(result.locations![0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'middleware.ts', uriBaseId: 'SRCROOT' },
      region: { startLine: 5, startColumn: 39 },
    });
    expect(result.message.text).toMatch(/^stack-access: breaks with SDK ≥ 2\.8\.108/);
  });

  it('is what the CLI prints with --sarif, and the exit code says something breaks', async () => {
    const { code, stdout } = await runCli(['scan', '--sarif', join(FIXTURES, 'projects', 'next-app')]);
    expect(code).toBe(1);
    expect(validate(JSON.parse(stdout))).toBe(true);
  }, 60_000);
});
