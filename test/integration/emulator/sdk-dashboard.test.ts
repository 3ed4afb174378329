import * as newSdk from 'stack-sdk-new';
import * as oldSdk from 'stack-sdk-old';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../main/emulator/index.js';
import { setupTestEmulator } from '../../helpers/emulator.js';
import { type SdkGeneration, sdkErrorCode } from './sdk-scenario.js';

/** The dashboard's own client: the `internal` project, as the SDK is used by a developer signing in to it. */
function dashboardClient(sdk: SdkGeneration, emulator: RunningEmulator) {
  const options = {
    // The literal id is what gives the SDK's user its dashboard methods (createProject, listOwnedProjects).
    projectId: 'internal' as const,
    publishableClientKey: emulator.internalProject.publishableClientKey,
    baseUrl: emulator.apiUrl,
    tokenStore: 'memory' as const,
  };
  return sdk === 'old' ? new oldSdk.StackClientApp(options) : new newSdk.StackClientApp(options);
}

/**
 * What a developer does in the dashboard, through the published SDK: sign up to the internal project, create a
 * project with their personal team as owner, find it among their projects, change its config, make keys for it,
 * and use those keys from an app.
 */
async function runDashboardScenario(sdk: SdkGeneration, emulator: RunningEmulator) {
  const client = dashboardClient(sdk, emulator);
  const email = `${sdk}-dev-${Date.now()}@example.com`;
  const signUp = await client.signUpWithCredential({
    email,
    password: 'dashboard password',
    noRedirect: true,
    verificationCallbackUrl: 'http://localhost:3000/handler/email-verification',
  });
  expect(signUp.status).toBe('ok');
  const user = await client.getUser({ or: 'throw' });
  expect(user.selectedTeam?.displayName).toBe(`${email}'s Team`);

  const project = await user.createProject({
    displayName: `${sdk} SDK project`,
    teamId: user.selectedTeam!.id,
  });
  expect(project.displayName).toBe(`${sdk} SDK project`);
  expect(project.config.credentialEnabled).toBe(true);
  expect((await user.listOwnedProjects()).map((p) => p.id)).toEqual([project.id]);

  await project.update({ config: { signUpEnabled: false, clientTeamCreationEnabled: true } });
  const [reread] = await user.listOwnedProjects();
  expect(reread!.config).toMatchObject({ signUpEnabled: false, clientTeamCreationEnabled: true });

  const key = await project.app.createInternalApiKey({
    description: 'app keys',
    expiresAt: new Date(Date.now() + 86_400_000),
    hasPublishableClientKey: true,
    hasSecretServerKey: true,
    hasSuperSecretAdminKey: false,
  });
  expect((await project.app.listInternalApiKeys()).map((k) => k.id)).toContain(key.id);

  const appOptions = {
    projectId: project.id,
    publishableClientKey: key.publishableClientKey!,
    secretServerKey: key.secretServerKey!,
    baseUrl: emulator.apiUrl,
    tokenStore: 'memory' as const,
  };
  const server =
    sdk === 'old' ? new oldSdk.StackServerApp(appOptions) : new newSdk.StackServerApp(appOptions);
  const created = await server.createUser({ primaryEmail: `app-user-${sdk}@example.com` });
  expect((await server.listUsers()).map((u) => u.id)).toEqual([created.id]);
}

describe('dual mode: the dashboard flow through both published SDKs', () => {
  const emulator = setupTestEmulator({ compat: 'dual' });

  it('@stackframe/js 2.8.102 (x-stack-* headers)', async () => {
    await runDashboardScenario('old', emulator());
  });

  it('@stackframe/js 2.8.108 (X-Hexclave-* headers, including the admin access token)', async () => {
    await runDashboardScenario('new', emulator());
  });
});

describe('legacy mode: the dashboard flow', () => {
  const emulator = setupTestEmulator({ compat: 'legacy' });

  it('works with the old SDK', async () => {
    await runDashboardScenario('old', emulator());
  });

  it('does not see the new SDK’s headers, as the real old backend does not', async () => {
    const client = dashboardClient('new', emulator());
    expect(
      await sdkErrorCode(() =>
        client.signInWithCredential({ email: 'x@example.com', password: 'whatever1', noRedirect: true }),
      ),
    ).toBe('ACCESS_TYPE_REQUIRED');
  });
});
