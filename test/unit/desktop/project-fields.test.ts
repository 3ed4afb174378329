import { describe, expect, it } from 'vitest';
import { checkProjectField, withFieldLabels } from '../../../shared/project-fields.js';

describe('project settings as the user types them', () => {
  it('takes a UUID or internal as the project id, nothing else', () => {
    expect(checkProjectField('projectId', '6b1f3f4e-2c1a-4d55-9a8e-0c2f1b7d9e01')).toBeNull();
    expect(checkProjectField('projectId', 'internal')).toBeNull();
    expect(checkProjectField('projectId', 'abc')).toMatchObject({ level: 'error' });
  });

  it('knows each key by its prefix: a swapped key is an error, an unprefixed one a warning', () => {
    expect(checkProjectField('publishableClientKey', 'pck_abc')).toBeNull();
    expect(checkProjectField('publishableClientKey', 'x')).toMatchObject({ level: 'warning' });
    expect(checkProjectField('secretServerKey', 'pck_abc')).toMatchObject({
      level: 'error',
      message: expect.stringContaining('publishable client key (pck_…), not the secret server key'),
    });
    expect(checkProjectField('superSecretAdminKey', 'sak_abc')).toBeNull();
    // The internal project's keys are seeded from the backend's environment: any string.
    expect(
      checkProjectField('publishableClientKey', 'this-key-is-for-local-development', {
        projectId: 'internal',
      }),
    ).toBeNull();
  });

  it('checks URLs: http(s) for the API, postgres:// for the databases', () => {
    expect(checkProjectField('apiUrl', 'http://localhost:8102')).toBeNull();
    expect(checkProjectField('apiUrl', 'localhost:8102')).toMatchObject({ level: 'error' });
    expect(checkProjectField('apiUrl', 'https://api.example.com/api/v1')).toMatchObject({ level: 'warning' });
    expect(checkProjectField('mirrorDatabaseUrl', 'mysql://x')).toMatchObject({ level: 'error' });
    expect(checkProjectField('mirrorDatabaseUrl', 'postgres://u:p@localhost/db')).toBeNull();
  });

  it('reads a terminal message in the app with field labels instead of CLI flags', () => {
    expect(
      withFieldLabels(
        'Cannot reach http://x: ECONNREFUSED. Check --api-url and that the backend is running.',
      ),
    ).toBe('Cannot reach http://x: ECONNREFUSED. Check the API URL and that the backend is running.');
    expect(withFieldLabels('unknown project (check --project-id)')).toBe(
      'unknown project (check the project id)',
    );
    expect(withFieldLabels('pass --publishable-client-key')).toBe('pass the publishable client key');
    expect(withFieldLabels('--secret-server-key is wrong')).toBe('The secret server key is wrong');
  });
});
