import { clientHeaders } from '../client-headers.js';
import {
  type CleanupPlan,
  describeAnswer,
  fail,
  type ProbeState,
  pass,
  type ScenarioContext,
  type ScenarioOutcome,
  skipped,
  succeeded,
  type ThrowawayUser,
} from '../context.js';

const WHO = 'up to 3 throwaway users (hexclave-check-<family>-…@example.com, one per SDK family)';

/**
 * What this run may create, decided once project info has answered and before anything exists: a user is only
 * created when the run can delete it again — with the secret server key, or by the user itself when the project
 * allows client user deletion (upstream's default is off).
 */
export function decideCleanup(state: ProbeState): CleanupPlan {
  if (state.options.secretServerKey) {
    return {
      kind: 'server-key',
      summary: `This run creates ${WHO} and deletes them at the end with the secret server key.`,
    };
  }
  if (state.clientUserDeletion) {
    return {
      kind: 'self-delete',
      summary: `This run creates ${WHO}; each deletes itself at the end (DELETE /api/v1/users/me — this project allows client user deletion).`,
    };
  }
  return {
    kind: 'create-nothing',
    summary:
      'This run creates no users: without --secret-server-key it could not delete them again (this project does not let users delete themselves), so sign-up, sign-in, users/me and both refresh paths are not checked.',
  };
}

/** Why a scenario that needs a throwaway user did not run, when the plan forbids creating one. */
export function userScenariosNotChecked(state: ProbeState): string | null {
  return state.cleanupPlan?.kind === 'create-nothing'
    ? 'not checked — needs --secret-server-key to clean up (this project does not let users delete themselves)'
    : null;
}

/** The newest access token the run holds for a user: its family's session, else what its sign-up returned. */
function tokenOf(state: ProbeState, user: ThrowawayUser): string | undefined {
  const session = state.sessions[user.family];
  return session.user?.email === user.email ? (session.accessToken ?? user.accessToken) : user.accessToken;
}

/** Delete the throwaway users again (old-SDK headers: the family every backend understands). */
export async function cleanup(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const { state } = ctx;
  const users = state.users.filter((u) => u.userId);
  if (users.length === 0) {
    return skipped(
      state.cleanupPlan?.kind === 'create-nothing' ? 'nothing was created' : 'no throwaway user was created',
    );
  }
  const { projectId, publishableClientKey, secretServerKey } = state.options;
  const byServerKey = state.cleanupPlan?.kind === 'server-key';
  const failed: string[] = [];
  await Promise.all(
    users.map(async (user) => {
      const accessToken = byServerKey ? undefined : tokenOf(state, user);
      if (!byServerKey && !accessToken) {
        failed.push(`${user.email} (no session to delete it with)`);
        return;
      }
      const res = await ctx.send({
        method: 'DELETE',
        path: byServerKey ? `/api/v1/users/${encodeURIComponent(user.userId!)}` : '/api/v1/users/me',
        headers: clientHeaders('old', {
          projectId,
          publishableClientKey,
          ...(byServerKey ? { secretServerKey, accessType: 'server' as const } : { accessToken }),
        }),
      });
      if (succeeded(res)) user.deleted = true;
      else failed.push(`${user.email} (${describeAnswer(res)})`);
    }),
  );
  if (failed.length > 0) return fail(`could not delete ${failed.join(', ')}`);
  return pass(
    `deleted ${users.length} throwaway user(s) ${byServerKey ? 'with the secret server key' : '(each deleted itself)'}`,
  );
}
