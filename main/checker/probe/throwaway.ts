import type { ThrowawayUsers } from '../../../shared/checker/report.js';
import { identifier, requestHeaderName } from '../../../shared/registry/index.js';
import type { ProbeOptions, ProbeState } from './context.js';

const SERVER_KEY_ENV = identifier('env.STACK_SECRET_SERVER_KEY');
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A command per user that deletes it with the project's secret server key, read from the environment. */
function removalCommands(options: ProbeOptions, userIds: readonly string[]): string {
  const header = (id: string) => requestHeaderName(id, 'stack');
  const key = `\${${SERVER_KEY_ENV.new}:-$${SERVER_KEY_ENV.old}}`;
  const commands = userIds.map((userId) =>
    [
      `curl -X DELETE ${quote(`${options.apiUrl}/api/v1/users/${encodeURIComponent(userId)}`)}`,
      `-H ${quote(`${header('header.access-type')}: server`)}`,
      `-H ${quote(`${header('header.project-id')}: ${options.projectId}`)}`,
      `-H "${header('header.secret-server-key')}: ${key}"`,
    ].join(' '),
  );
  return [
    "Delete them in the project's dashboard (Users), or with its secret server key in",
    `${SERVER_KEY_ENV.new} (or ${SERVER_KEY_ENV.old}):`,
    ...commands,
  ].join('\n');
}

/** What the run created in the project, what it removed, and what it left with how to remove that. */
export function throwawayUsersOf(state: ProbeState): ThrowawayUsers | undefined {
  const plan = state.cleanupPlan;
  if (!plan) return undefined;
  const created = state.users.filter((u) => u.userId);
  const left = created.filter((u) => !u.deleted).map((u) => ({ email: u.email, userId: u.userId! }));
  return {
    plan: plan.kind,
    summary: plan.summary,
    created: created.length,
    deleted: created.length - left.length,
    left,
    howToRemove:
      left.length > 0
        ? removalCommands(
            state.options,
            left.map((u) => u.userId),
          )
        : null,
  };
}
