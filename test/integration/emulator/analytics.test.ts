import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { apiFetch, setupTestEmulator } from '../../helpers/emulator.js';

const emulator = setupTestEmulator({ label: 'emulator_analytics' });

const batch = (types: string[]) => ({
  batch_id: 'b1',
  sent_at_ms: Date.now(),
  events: types.map((event_type) => ({ event_type, event_at_ms: Date.now(), data: {} })),
});

describe('POST /analytics/events/batch (the SDK EventTracker flush)', () => {
  it('accepts JSON and gzip batches from either header family and counts their events', async () => {
    const json = await apiFetch(emulator(), '/analytics/events/batch', {
      method: 'POST',
      family: 'hexclave',
      overrideErrorStatus: true,
      body: batch(['$page-view', '$click']),
    });
    expect(json.status).toBe(200);
    expect(json.headers.get('x-hexclave-actual-status')).toBeNull();
    expect(await json.json()).toEqual({ accepted: 2 });

    const compressed = await fetch(`${emulator().apiUrl}/api/v1/analytics/events/batch`, {
      method: 'POST',
      headers: {
        'x-stack-project-id': emulator().projectId,
        'x-stack-access-type': 'client',
        'x-stack-publishable-client-key': emulator().publishableClientKey,
        'content-type': 'application/octet-stream',
      },
      body: gzipSync(JSON.stringify(batch(['$page-view']))),
    });
    expect(compressed.status).toBe(200);
    expect(await compressed.json()).toEqual({ accepted: 1 });
  });

  it('refuses a batch without a project or with a body that is not a batch, with a 4xx', async () => {
    const anonymous = await fetch(`${emulator().apiUrl}/api/v1/analytics/events/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch(['$click'])),
    });
    expect(anonymous.status).toBeGreaterThanOrEqual(400);
    expect(anonymous.status).toBeLessThan(500);
    const garbage = await apiFetch(emulator(), '/analytics/events/batch', {
      method: 'POST',
      body: { events: 'nope' },
    });
    expect(garbage.status).toBe(400);
  });
});
