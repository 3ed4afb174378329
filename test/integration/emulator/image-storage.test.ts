import { describe, expect, it } from 'vitest';
import type { CompatMode } from '../../../main/emulator/index.js';
import { apiFetch, setupTestEmulator, startTestEmulator } from '../../helpers/emulator.js';

// A 1×1 GIF and a 1×1 PNG, as upstream's tests and a browser's canvas.toDataURL() send them.
const GIF = 'R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe.each(['dual', 'legacy'] as CompatMode[])('%s mode: uploaded profile images', (compat) => {
  const emulator = setupTestEmulator({ compat });
  const family = compat === 'dual' ? 'hexclave' : 'stack';
  const server = (path: string, method: string, body?: unknown) =>
    apiFetch(emulator(), path, { method, access: 'server', family, body });

  it('stores a base64 image like upstream’s S3 upload and serves it at the URL it answers with', async () => {
    const created = await server('/users', 'POST', { profile_image_url: `data:image/gif;base64,${GIF}` });
    expect(created.status).toBe(201);
    const { profile_image_url: url } = (await created.json()) as { profile_image_url: string };
    expect(url).toMatch(
      new RegExp(`^${escapeRegExp(emulator().storageUrl)}/user-profile-images/${UUID}\\.gif$`),
    );
    expect(emulator().storageUrl).toBe(`${emulator().apiUrl}/stack-storage`);
    const image = await fetch(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(Buffer.from(GIF, 'base64'));

    const team = await server('/teams', 'POST', {
      display_name: 'Pictured',
      profile_image_url: `data:image/png;base64,${PNG}`,
    });
    const { profile_image_url: teamUrl } = (await team.json()) as { profile_image_url: string };
    expect(teamUrl).toMatch(new RegExp(`/team-profile-images/${UUID}\\.png$`));
    expect((await fetch(teamUrl)).headers.get('content-type')).toBe('image/png');
  });

  it('uploads a base64 project logo to project-logos', async () => {
    const response = await apiFetch(emulator(), '/internal/projects/current', {
      method: 'PATCH',
      access: 'admin',
      family,
      body: { logo_url: `data:image/png;base64,${PNG}`, logo_full_url: 'https://example.com/logo.svg' },
    });
    expect(response.status).toBe(200);
    const project = (await response.json()) as { logo_url: string; logo_full_url: string };
    expect(project.logo_url).toMatch(new RegExp(`/project-logos/${UUID}\\.png$`));
    expect(project.logo_full_url).toBe('https://example.com/logo.svg');
    expect((await fetch(project.logo_url)).status).toBe(200);
  });

  it('keeps an http(s) URL as given, and refuses data that is not an image or is over 1 MB', async () => {
    const linked = await server('/users', 'POST', { profile_image_url: 'https://example.com/me.png' });
    expect(((await linked.json()) as { profile_image_url: string }).profile_image_url).toBe(
      'https://example.com/me.png',
    );
    const notImage = await server('/users', 'POST', {
      profile_image_url: `data:image/png;base64,${Buffer.from('hello, not an image').toString('base64')}`,
    });
    expect(notImage.status).toBe(400);
    const huge = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.alloc(1_000_001)]).toString('base64');
    const tooBig = await server('/users', 'POST', { profile_image_url: `data:image/png;base64,${huge}` });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toContain('exceeds maximum allowed size');
    expect((await fetch(`${emulator().storageUrl}/user-profile-images/nothing.png`)).status).toBe(404);
  });
});

describe('image storage on a port of its own', () => {
  it('answers with URLs on that port, at the public URL’s host name, as upstream’s S3 endpoint', async () => {
    const emulator = await startTestEmulator({
      storagePort: 0,
      issuerBase: 'http://localhost:1',
      label: 'emulator_storage_port',
    });
    try {
      const storagePort = new URL(emulator.storageUrl).port;
      expect(emulator.storageUrl).toBe(`http://localhost:${storagePort}/stack-storage`);
      expect(storagePort).not.toBe(new URL(emulator.apiUrl).port);
      const created = await apiFetch(emulator, '/users', {
        method: 'POST',
        access: 'server',
        body: { profile_image_url: `data:image/gif;base64,${GIF}` },
      });
      const { profile_image_url: url } = (await created.json()) as { profile_image_url: string };
      expect(url.startsWith(`${emulator.storageUrl}/user-profile-images/`)).toBe(true);
      const image = await fetch(url.replace('localhost', '127.0.0.1'));
      expect(image.status).toBe(200);
      expect(Buffer.from(await image.arrayBuffer())).toEqual(Buffer.from(GIF, 'base64'));
    } finally {
      await emulator.stop();
    }
  });
});
