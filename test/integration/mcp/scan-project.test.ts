import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../../shared/scan/report.js';
import { type ConnectedMcp, connectInMemory, mcpConfig, structuredOf, textOf } from '../../helpers/mcp.js';

const PROJECTS = join(import.meta.dirname, '..', '..', 'fixtures', 'scan', 'projects');

let mcp: ConnectedMcp | null = null;
afterEach(async () => {
  await mcp?.close();
  mcp = null;
});

describe('scan_project', () => {
  it('scans a folder inside the project and returns findings with verdicts and the deploy view', async () => {
    mcp = await connectInMemory(mcpConfig({ projectDir: PROJECTS }));
    const result = await mcp.client.callTool({ name: 'scan_project', arguments: { dir: 'monorepo' } });
    const report = structuredOf<ScanReport>(result as never);
    expect(report.summary.byVerdict.breaks).toBe(3);
    expect(report.deploy.hazards.map((h) => h.id)).toContain('sibling-sign-out');
    expect(report.findings[0]!.verdict.kind).toBe('breaks');
  });

  it('keeps only the verdicts asked for, worst first, within the cap', async () => {
    mcp = await connectInMemory(mcpConfig({ projectDir: PROJECTS }));
    const result = await mcp.client.callTool({
      name: 'scan_project',
      arguments: { dir: 'next-app', verdicts: ['breaks', 'prefer-new'], maxFindings: 2 },
    });
    const report = structuredOf<ScanReport>(result as never);
    expect(report.findings.map((f) => f.verdict.kind)).toEqual(['breaks', 'breaks']);
    expect(report.truncated).toBe(true);
  });

  it('refuses a folder outside the project with a readable error', async () => {
    mcp = await connectInMemory(mcpConfig({ projectDir: join(PROJECTS, 'next-app') }));
    const result = await mcp.client.callTool({ name: 'scan_project', arguments: { dir: '../monorepo' } });
    expect(result.isError).toBe(true);
    expect(textOf(result as never)).toMatch(/outside the project folder/);
  });
});
