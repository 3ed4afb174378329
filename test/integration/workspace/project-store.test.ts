import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSecretStore, ProjectInputError, ProjectStore } from '../../../main/projects/index.js';

const OLD_PROJECT = '6b1f3f4e-2c1a-4d55-9a8e-0c2f1b7d9e01';
const NEW_PROJECT = '0e4c9b7a-5d3f-4a21-8b6c-3f9e2d1a7c55';

let dataDir: string;
let folder: string;
let store: ProjectStore;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'project-store-'));
  folder = mkdtempSync(join(tmpdir(), 'my-app-'));
  store = new ProjectStore(dataDir, createFileSecretStore(join(dataDir, 'secrets.json')));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

describe('Connect my project from a folder', () => {
  it('reads the settings the way the dual SDK does (HEXCLAVE_* over STACK_*), keeping secrets out of the list', () => {
    writeFileSync(
      join(folder, '.env.local'),
      [
        `NEXT_PUBLIC_STACK_PROJECT_ID=${OLD_PROJECT}`,
        `NEXT_PUBLIC_HEXCLAVE_PROJECT_ID=${NEW_PROJECT}`,
        'NEXT_PUBLIC_STACK_API_URL=https://api.example.test',
        'VITE_STACK_PUBLISHABLE_CLIENT_KEY=pck_from_vite',
        'STACK_SECRET_SERVER_KEY=ssk_old_secret',
        'HEXCLAVE_SECRET_SERVER_KEY=ssk_new_secret',
      ].join('\n'),
    );
    const summary = store.create({ kind: 'connected', folder });
    expect(summary).toMatchObject({
      kind: 'connected',
      projectId: NEW_PROJECT,
      apiUrl: 'https://api.example.test',
      publishableClientKey: 'pck_from_vite',
      syncSource: 'api',
      secrets: { secretServerKey: true, superSecretAdminKey: false },
    });
    expect(store.secret(summary.id, 'secretServerKey')).toBe('ssk_new_secret');
    // The project list on disk and every summary the UI gets carry no secret value.
    expect(readFileSync(join(dataDir, 'projects.json'), 'utf8')).not.toContain('ssk_');
    expect(JSON.stringify(store.list())).not.toContain('ssk_');
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o077).toBe(0);
  });

  it('lets values typed by hand win over the folder', () => {
    writeFileSync(
      join(folder, '.env'),
      `HEXCLAVE_PROJECT_ID=${OLD_PROJECT}\nHEXCLAVE_API_URL=https://a.test\n`,
    );
    const summary = store.create({ kind: 'connected', folder, projectId: NEW_PROJECT });
    expect(summary.projectId).toBe(NEW_PROJECT);
    expect(summary.apiUrl).toBe('https://a.test');
  });

  it('names what is missing and how to provide it, and stores nothing', () => {
    writeFileSync(join(folder, '.env'), `HEXCLAVE_PROJECT_ID=${OLD_PROJECT}\n`);
    expect(() => store.create({ kind: 'connected', folder })).toThrow(ProjectInputError);
    expect(() => store.create({ kind: 'connected', folder })).toThrow(
      `Missing API URL: enter it by hand, or set HEXCLAVE_*/STACK_* variables in ${folder}/.env.`,
    );
    expect(store.list()).toEqual([]);
  });

  it('refuses a value that cannot be right, naming the field and where the folder had it', () => {
    writeFileSync(
      join(folder, '.env.local'),
      'NEXT_PUBLIC_STACK_PROJECT_ID=my-project\nNEXT_PUBLIC_STACK_API_URL=https://a.test\n',
    );
    expect(() => store.create({ kind: 'connected', folder })).toThrow(
      /^Project id: A project id is a UUID .* \(NEXT_PUBLIC_STACK_PROJECT_ID in \.env\.local\)$/,
    );
    expect(() =>
      store.create({
        kind: 'connected',
        folder,
        projectId: NEW_PROJECT,
        publishableClientKey: 'ssk_swapped',
      }),
    ).toThrow(/^Publishable client key: This is a secret server key \(ssk_…\)/);
    expect(store.list()).toEqual([]);
  });
});
