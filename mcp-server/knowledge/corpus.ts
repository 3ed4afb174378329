import { MIRROR_TABLES, type MirrorTable, SYNC_METADATA_TABLE } from '../../main/mirror/tables.js';
import {
  CATEGORIES,
  type Category,
  IDENTIFIERS,
  type IdentifierEntry,
  POLICY_LABELS,
} from '../../shared/registry/index.js';
import { identifierFacts } from './identifier-facts.js';
import type { DocPage } from './pages.js';
import { identifierTokens } from './terms.js';

/**
 * - `doc`: a passage of the answering knowledge base (`docs/knowledge/*.md`), cited by page and heading;
 * - `registry`: the identifier registry's entries of one category, as a list of facts;
 * - `identifier`: one registry entry (answered only when a question names it);
 * - `mirror-table`: one mirror table, or the list of all of them.
 */
export type KnowledgeKind = 'doc' | 'registry' | 'identifier' | 'mirror-table';

/** One retrievable unit: short, self-contained, quoted whole in an answer. */
export interface KnowledgeDoc {
  readonly id: string;
  readonly kind: KnowledgeKind;
  /** Where a user opens it: `docs/knowledge/sync.md › The sequencer`. */
  readonly citation: string;
  /** Its heading as plain text, e.g. `The sequencer`. */
  readonly title: string;
  /** Its heading as written (Markdown: code spans kept), shown in answers. */
  readonly heading: string;
  /** The topic it belongs to (a knowledge page title, `Identifier registry`, `Mirror schema`). */
  readonly topic: string;
  /** Markdown quoted in answers. */
  readonly body: string;
  /** What search reads instead of the body, for passages whose body is a long list (registry categories). */
  readonly searchText?: string;
  /** Identifier tokens it names, boosted in ranking (`x-stack-access-token`, `stack-refresh-{}--default`). */
  readonly ids: readonly string[];
}

/**
 * A knowledge page is `# Topic` followed by `## Heading` sections; each section is one passage. HTML comments
 * are notes for authors and never reach an answer.
 */
export function knowledgePassages(page: DocPage): KnowledgeDoc[] {
  const text = page.content.replace(/<!--[\s\S]*?-->/g, '');
  const topic = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? page.path;
  const sections = text.split(/^##\s+/m).slice(1);
  return sections.map((section, index) => {
    const newline = section.indexOf('\n');
    const heading = section.slice(0, newline).trim();
    const title = heading.replace(/`/g, '');
    const body = section
      .slice(newline + 1)
      .trim()
      .replace(/\n{3,}/g, '\n\n');
    return {
      id: `doc:${page.path}#${index}`,
      kind: 'doc' as const,
      citation: `${page.path} › ${title}`,
      title,
      heading,
      topic,
      body,
      ids: identifierTokens(`${title}\n${body}`),
    };
  });
}

function entryForms(entry: IdentifierEntry): string[] {
  return [entry.old, ...(entry.oldAliases ?? []), ...(entry.new ? [entry.new] : [])];
}

function identifierDoc(entry: IdentifierEntry): KnowledgeDoc {
  return {
    id: `identifier:${entry.id}`,
    kind: 'identifier',
    citation: `identifier registry › ${entry.id} (npx hexclave-companion ids ${entry.old})`,
    title: entry.concept,
    heading: entry.concept,
    topic: 'Identifier registry',
    body: identifierFacts(entry).join('\n'),
    ids: identifierTokens(entryForms(entry).join(' ')),
  };
}

const CATEGORY_TITLES: Record<Category, string> = {
  'request-header': 'request headers',
  'response-header': 'response headers',
  'sdk-auth-header': 'the SDK auth header',
  cookie: 'cookies',
  'bearer-prefix': 'the Bearer prefix',
  'jwt-issuer': 'JWT issuers',
  'jwt-audience': 'JWT audiences',
  'env-var': 'environment variables',
  'query-param': 'query parameters',
  'storage-key': 'storage keys',
  'symbol-key': 'Symbol.for keys',
  'config-file': 'config files',
  'file-path': 'file paths',
  'cli-binary': 'CLI binaries',
  'url-scheme': 'URL schemes',
  'window-global': 'window globals',
  'postmessage-type': 'postMessage types',
  'dom-id': 'DOM ids',
  'dom-attribute': 'DOM attributes',
  'dom-event': 'DOM events',
  'css-class': 'CSS classes',
  'internal-marker': 'SDK-internal markers',
  'mcp-tool': 'MCP tools',
  'sdk-export': 'SDK exports',
  'module-specifier': 'module specifiers',
  'npm-package': 'npm packages',
  host: 'hosts',
};

/** Entries listed in one category passage; the rest are counted and left to `ids --category`. */
const CATEGORY_LIST_LIMIT = 24;

function shortPolicy(entry: IdentifierEntry): string {
  return POLICY_LABELS[entry.policy].split(':')[0]!;
}

/** The registry as structured facts: one passage per category listing every pair and its policy. */
function categoryDoc(category: Category, entries: readonly IdentifierEntry[]): KnowledgeDoc {
  const title = `Every ${CATEGORY_TITLES[category]} pair in the identifier registry`;
  const lines = entries
    .slice(0, CATEGORY_LIST_LIMIT)
    .map(
      (e) =>
        `- \`${e.old}\` → ${e.new ? `\`${e.new}\`` : 'no hexclave twin'} (${shortPolicy(e)}${e.shipped && e.planDifference ? '; the shipped SDK differs from the plan' : ''})`,
    );
  const rest = entries.length - CATEGORY_LIST_LIMIT;
  const body = [
    `The registry has ${entries.length} ${CATEGORY_TITLES[category]} (old → new, policy):`,
    ...lines,
    ...(rest > 0 ? [`- … and ${rest} more: \`npx hexclave-companion ids --category ${category}\`.`] : []),
  ].join('\n');
  return {
    id: `registry:${category}`,
    kind: 'registry',
    citation: `identifier registry › ${category} (npx hexclave-companion ids --category ${category})`,
    title,
    heading: title,
    topic: 'Identifier registry',
    body,
    // A list of 20–60 names repeats words like `server` or `client`: match the category, not the list.
    searchText: `${title}. ${category.replace(/-/g, ' ')} renamed old new twin policy`,
    ids: identifierTokens(entries.flatMap(entryForms).join(' ')),
  };
}

function columnText(table: MirrorTable): string {
  return table.columns
    .map(
      (c) =>
        `\`${c.name}\` ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default ? ` DEFAULT ${c.default}` : ''}`,
    )
    .join(', ');
}

const MIRROR_CITATION = 'docs/sync.md › What you get in the target database';

function mirrorTableDoc(table: MirrorTable): KnowledgeDoc {
  const body = [
    `Mirror table \`${table.table}\`: ${table.notes} Primary key (${table.primaryKey.join(', ')}); synced from ${table.sourceTables.join(', ')} by the mapping \`${table.mapping}\`.`,
    `Columns: ${columnText(table)}.`,
    'Timestamps are `timestamp without time zone` in UTC. Any role can SELECT from it; only the sync engine writes it.',
  ].join('\n');
  return {
    id: `mirror-table:${table.table}`,
    kind: 'mirror-table',
    citation: `${MIRROR_CITATION} (table ${table.table})`,
    title: `Mirror table ${table.table} and its columns`,
    heading: `Mirror table \`${table.table}\` and its columns`,
    topic: 'Mirror schema',
    body,
    ids: identifierTokens([table.table, ...table.columns.map((c) => c.name)].join(' ')),
  };
}

/** All mirror tables in one passage, from the sync engine's own mapping list. */
function mirrorTablesDoc(): KnowledgeDoc {
  const body = [
    `The sync mirrors ${MIRROR_TABLES.length} tables into your database, exactly as upstream's hosted external DB sync creates them:`,
    ...MIRROR_TABLES.map(
      (t) => `- \`${t.table}\` — ${t.notes.replace(/\.$/, '')} (key ${t.primaryKey.join(', ')})`,
    ),
    `Beside them: \`${SYNC_METADATA_TABLE}\` (upstream's checkpoint per mapping) and \`_hexclave_sync_progress\` (the companion's checkpoint per tenancy and mapping).`,
  ].join('\n');
  return {
    id: 'mirror-table:*',
    kind: 'mirror-table',
    citation: MIRROR_CITATION,
    title: 'Every table the sync mirrors',
    heading: 'Every table the sync mirrors',
    topic: 'Mirror schema',
    body,
    ids: identifierTokens(MIRROR_TABLES.map((t) => t.table).join(' ')),
  };
}

export interface Corpus {
  /** Passages ranked for free-text questions. */
  readonly ranked: readonly KnowledgeDoc[];
  /** One per registry entry, keyed by entry id: quoted when a question names the identifier. */
  readonly identifiers: ReadonlyMap<string, KnowledgeDoc>;
}

export function buildCorpus(knowledgePages: readonly DocPage[]): Corpus {
  const categories = CATEGORIES.map((c) => [c, IDENTIFIERS.filter((e) => e.category === c)] as const).filter(
    ([, entries]) => entries.length > 0,
  );
  return {
    ranked: [
      ...knowledgePages.flatMap(knowledgePassages),
      ...categories.map(([category, entries]) => categoryDoc(category, entries)),
      mirrorTablesDoc(),
      ...MIRROR_TABLES.map(mirrorTableDoc),
    ],
    identifiers: new Map(IDENTIFIERS.map((e) => [e.id, identifierDoc(e)])),
  };
}
