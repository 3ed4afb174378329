import type { Command } from 'commander';
import {
  CATEGORIES,
  type IdentifierEntry,
  isCategory,
  isPolicy,
  POLICIES,
  searchIdentifiers,
} from '../../../shared/registry/index.js';
import { COMMAND_TABLE } from '../command-table.js';
import { paint, printJson } from '../output.js';
import { UsageError } from '../usage-error.js';

interface IdsOptions {
  readonly json?: boolean;
  readonly category?: string;
  readonly policy?: string;
}

function describe(entry: IdentifierEntry): string {
  const twin = entry.new ?? paint('dim', '(no hexclave twin)');
  const lines = [
    `${paint('bold', entry.old)} ${paint('dim', '→')} ${paint('cyan', twin)}`,
    `  ${entry.category} · ${paint('yellow', entry.policy)} · ${entry.sides.join(', ')} · ${entry.id}`,
    `  ${entry.concept}`,
  ];
  if (entry.oldAliases?.length) lines.push(`  also read: ${entry.oldAliases.join(', ')}`);
  if (entry.securePrefix)
    lines.push(`  on https: ${entry.securePrefix}${entry.old} / ${entry.securePrefix}${entry.new}`);
  if (entry.shipped) lines.push(`  shipped SDK: ${entry.shipped}`);
  if (entry.planDifference) lines.push(`  plan differs: ${entry.planDifference}`);
  if (entry.notes) lines.push(`  ${paint('dim', entry.notes)}`);
  return lines.join('\n');
}

export function registerIdsCommand(program: Command): void {
  program
    .command('ids')
    .description(COMMAND_TABLE.ids.summary)
    .argument('[query]', 'text to match, e.g. stack-refresh, x-hexclave-project-id, cookie, dual-emit', '')
    .option('--category <category>', `only this category (${CATEGORIES.join(', ')})`)
    .option('--policy <policy>', `only this policy (${POLICIES.join(', ')})`)
    .option('--json', 'print the matching registry entries as JSON')
    .action((query: string, options: IdsOptions) => {
      if (options.category && !isCategory(options.category)) {
        throw new UsageError(`Unknown category "${options.category}". Use one of: ${CATEGORIES.join(', ')}.`);
      }
      if (options.policy && !isPolicy(options.policy)) {
        throw new UsageError(`Unknown policy "${options.policy}". Use one of: ${POLICIES.join(', ')}.`);
      }
      const entries = searchIdentifiers(query, {
        ...(options.category && isCategory(options.category) ? { category: options.category } : {}),
        ...(options.policy && isPolicy(options.policy) ? { policy: options.policy } : {}),
      });
      if (options.json) {
        printJson({ query, count: entries.length, entries });
        return;
      }
      if (entries.length === 0) {
        process.stdout.write(
          `No identifier matches "${query}". Try a shorter query or a category such as cookie.\n`,
        );
        return;
      }
      process.stdout.write(`${entries.map(describe).join('\n\n')}\n\n${entries.length} identifier(s)\n`);
    });
}
