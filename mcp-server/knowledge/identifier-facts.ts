import { type IdentifierEntry, POLICY_LABELS } from '../../shared/registry/index.js';

/** The registry's facts about one entry as sentences, shared by the search corpus and the answers. */
export function identifierFacts(entry: IdentifierEntry): string[] {
  const facts: string[] = [];
  const twin = entry.new === null ? 'has no hexclave twin' : `has the hexclave twin \`${entry.new}\``;
  facts.push(`\`${entry.old}\` (${entry.category}: ${entry.concept}) ${twin}.`);
  if (entry.oldAliases?.length) {
    facts.push(
      `Older names read for the same concept: ${entry.oldAliases.map((a) => `\`${a}\``).join(', ')}.`,
    );
  }
  facts.push(`Policy ${POLICY_LABELS[entry.policy]} (applied by ${entry.sides.join(', ')}).`);
  if (entry.securePrefix) {
    facts.push(`Over https the cookie name takes the \`${entry.securePrefix}\` prefix.`);
  }
  if (entry.secret) facts.push('Values under this name are secrets: keep them out of logs and reports.');
  if (entry.shipped) facts.push(`Shipped SDK: ${entry.shipped}`);
  if (entry.planDifference) facts.push(`Plan difference: ${entry.planDifference}`);
  if (entry.notes) facts.push(`Note: ${entry.notes}`);
  return facts;
}
