import * as newSdk from 'stack-sdk-new';
import * as oldSdk from 'stack-sdk-old';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../main/emulator/index.js';
import { setupTestEmulator } from '../../helpers/emulator.js';
import type { SdkGeneration } from './sdk-scenario.js';

function teamApps(sdk: SdkGeneration, emulator: RunningEmulator) {
  const common = {
    projectId: emulator.projectId,
    publishableClientKey: emulator.publishableClientKey,
    baseUrl: emulator.apiUrl,
    tokenStore: 'memory' as const,
  };
  const server = { ...common, secretServerKey: emulator.secretServerKey };
  return sdk === 'old'
    ? { server: new oldSdk.StackServerApp(server), client: new oldSdk.StackClientApp(common) }
    : { server: new newSdk.StackServerApp(server), client: new newSdk.StackClientApp(common) };
}

/**
 * What an app does with teams through the published SDK: the server makes a team with its creator, adds a
 * member and invites another by e-mail; the signed-in member sees the team, its members and their permissions,
 * and creates a team of their own.
 */
async function runTeamScenario(sdk: SdkGeneration, emulator: RunningEmulator) {
  const { server, client } = teamApps(sdk, emulator);
  const stamp = `${sdk}-${Date.now()}`;
  const password = 'team member password';
  const owner = await server.createUser({
    primaryEmail: `owner-${stamp}@example.com`,
    password,
    primaryEmailAuthEnabled: true,
  });
  const member = await server.createUser({
    primaryEmail: `member-${stamp}@example.com`,
    password,
    primaryEmailAuthEnabled: true,
  });

  const team = await server.createTeam({ displayName: `Team ${stamp}`, creatorUserId: owner.id });
  expect(team.displayName).toBe(`Team ${stamp}`);
  await team.addUser(member.id);
  expect((await team.listUsers()).map((u) => u.id).sort()).toEqual([owner.id, member.id].sort());
  expect(await owner.hasPermission(team, 'team_admin')).toBe(true);
  expect(await member.hasPermission(team, 'team_admin')).toBe(false);
  expect(await member.hasPermission(team, 'team_member')).toBe(true);

  await team.update({ displayName: `Renamed ${stamp}` });
  expect((await server.getTeam(team.id))?.displayName).toBe(`Renamed ${stamp}`);

  await team.inviteUser({
    email: `invitee-${stamp}@example.com`,
    callbackUrl: 'http://localhost:3000/handler/team-invitation',
  });
  expect((await team.listInvitations()).map((i) => i.recipientEmail)).toEqual([
    `invitee-${stamp}@example.com`,
  ]);

  const invited = (await (
    await fetch(`${emulator.mailboxUrl}/api/v1/mailbox/${encodeURIComponent(`invitee-${stamp}`)}`)
  ).json()) as { subject: string }[];
  expect(invited).toHaveLength(1);

  const signIn = await client.signInWithCredential({
    email: `member-${stamp}@example.com`,
    password,
    noRedirect: true,
  });
  expect(signIn.status).toBe('ok');
  const me = await client.getUser({ or: 'throw' });
  expect((await me.listTeams()).map((t) => t.displayName)).toEqual([`Renamed ${stamp}`]);
  const clientTeam = await me.getTeam(team.id);
  expect((await clientTeam!.listUsers()).length).toBe(2);
  expect((await me.listPermissions(clientTeam!)).map((p) => p.id)).toContain('team_member');
  // The emulator's default project lets clients create teams; the creator becomes the team's admin.
  const own = await me.createTeam({ displayName: `Own ${stamp}` });
  expect(await me.hasPermission(own, 'team_admin')).toBe(true);
  expect((await me.listTeams()).map((t) => t.displayName).sort()).toEqual([
    `Own ${stamp}`,
    `Renamed ${stamp}`,
  ]);

  await team.removeUser(member.id);
  expect((await me.listTeams()).map((t) => t.id)).toEqual([own.id]);
  await team.delete();
  expect(await server.getTeam(team.id)).toBeNull();
}

describe('dual mode: teams through both published SDKs', () => {
  const emulator = setupTestEmulator({ compat: 'dual' });

  it('@stackframe/js 2.8.102 (x-stack-* headers)', async () => {
    await runTeamScenario('old', emulator());
  });

  it('@stackframe/js 2.8.108 (X-Hexclave-* headers)', async () => {
    await runTeamScenario('new', emulator());
  });
});

describe('legacy mode: teams', () => {
  const emulator = setupTestEmulator({ compat: 'legacy' });

  it('works with the old SDK', async () => {
    await runTeamScenario('old', emulator());
  });
});
