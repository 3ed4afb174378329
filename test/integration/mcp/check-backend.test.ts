import { describe, expect, it } from 'vitest';
import { freePort } from '../../../main/postgres/index.js';
import { CheckReportSchema } from '../../../shared/checker/index.js';
import { setupTestEmulator, type TestEmulator } from '../../helpers/emulator.js';
import { connectInMemory, mcpConfig, structuredOf, textOf } from '../../helpers/mcp.js';

// check_backend runs the real checker (main/checker runCheck) against the real emulator, in both modes.

const dual = setupTestEmulator({ label: 'mcp_check_dual' });
const legacy = setupTestEmulator({ label: 'mcp_check_legacy', compat: 'legacy' });

function configFor(emulator: TestEmulator, flags: { readOnly?: boolean } = {}) {
  return mcpConfig({
    apiUrl: emulator.apiUrl,
    projectId: emulator.projectId,
    publishableClientKey: emulator.publishableClientKey,
    secretServerKey: emulator.secretServerKey,
    ...flags,
  });
}

describe('check_backend', () => {
  it('classifies a dual backend, returns the checker report, and feeds ask_hexclave’s live facts', async () => {
    const mcp = await connectInMemory(configFor(dual()));
    try {
      const result = await mcp.call('check_backend', {});
      expect(result.isError, textOf(result)).toBeFalsy();
      const report = CheckReportSchema.parse(result.structuredContent);
      expect(report).toMatchObject({ backendClass: 'dual', oldSdkWorks: true, newSdkWorks: true });
      const ask = await mcp.call('ask_hexclave', {
        question: 'Is my backend dual?',
        reason: 't',
        userPrompt: 't',
      });
      expect(structuredOf<{ live: { backend: unknown } }>(ask).live.backend).toEqual({
        backendClass: 'dual',
        checkedAt: report.startedAt,
        apiUrl: dual().apiUrl,
      });
      expect(textOf(ask)).toContain(
        `- Backend ${dual().apiUrl}: class dual (last check ${report.startedAt}).`,
      );
    } finally {
      await mcp.close();
    }
  });

  it('names the missing hexclave support of a legacy backend', async () => {
    const mcp = await connectInMemory(configFor(legacy()));
    try {
      const report = CheckReportSchema.parse((await mcp.call('check_backend', {})).structuredContent);
      expect(report).toMatchObject({ backendClass: 'legacy', oldSdkWorks: true, newSdkWorks: false });
      expect(report.findings.some((f) => f.identifier?.hexclave?.startsWith('x-hexclave-'))).toBe(true);
    } finally {
      await mcp.close();
    }
  });

  it('says so when the backend is unreachable', async () => {
    const mcp = await connectInMemory(configFor(dual()));
    try {
      const result = await mcp.call('check_backend', { apiUrl: `http://127.0.0.1:${await freePort()}` });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^Cannot reach http:\/\/127\.0\.0\.1:\d+: .*Check --api-url/);
    } finally {
      await mcp.close();
    }
  });

  it('names the settings it lacks', async () => {
    const mcp = await connectInMemory(mcpConfig());
    try {
      const result = await mcp.call('check_backend', {});
      expect(textOf(result)).toMatch(/needs the API URL \(--api-url or HEXCLAVE_API_URL\), the project id/);
    } finally {
      await mcp.close();
    }
  });

  it('is hidden by --read-only, because it signs up a throwaway user', async () => {
    const mcp = await connectInMemory(configFor(dual(), { readOnly: true }));
    try {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name)).not.toContain('check_backend');
      expect(tools.length).toBeGreaterThan(5);
    } finally {
      await mcp.close();
    }
  });
});
