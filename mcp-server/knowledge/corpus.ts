import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIRROR_TABLES, type MirrorTable } from '../../main/mirror/index.js';
import { IDENTIFIERS, type IdentifierEntry } from '../../shared/registry/index.js';
import { identifierFacts } from './identifier-facts.js';
import { splitMarkdown } from './markdown-passages.js';

export type KnowledgeKind = 'doc' | 'identifier' | 'mirror-table';

/** One retrievable unit of the bundled knowledge base. */
export interface KnowledgeDoc {
  readonly id: string;
  readonly kind: KnowledgeKind;
  /** Where the passage comes from, as printed in an answer's sources. */
  readonly citation: string;
  readonly title: string;
  /** Exact names (identifier forms, table and column names), boosted in ranking. */
  readonly names: string;
  readonly lines: readonly string[];
}

export interface DocPage {
  /** Path relative to the package root, e.g. `docs/cli.md`. */
  readonly path: string;
  readonly content: string;
}

/** The project's own documentation: README.md and docs/*.md, in a fixed order. */
export function loadDocPages(root: string): DocPage[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs].map((path) => ({ path, content: readFileSync(join(root, path), 'utf8') }));
}

function docPassages(pages: readonly DocPage[]): KnowledgeDoc[] {
  return pages.flatMap((page) =>
    splitMarkdown(page.path, page.content).map((passage, index) => ({
      id: `doc:${page.path}#${index}`,
      kind: 'doc' as const,
      citation: [page.path, ...passage.headings].join(' › '),
      title: passage.headings.join(' › '),
      names: '',
      lines: passage.lines,
    })),
  );
}

function identifierDoc(entry: IdentifierEntry): KnowledgeDoc {
  const names = [entry.old, ...(entry.oldAliases ?? []), ...(entry.new ? [entry.new] : [])];
  return {
    id: `identifier:${entry.id}`,
    kind: 'identifier',
    citation: `identifier registry › ${entry.id} (${entry.specRef})`,
    title: entry.concept,
    names: names.join(' '),
    lines: identifierFacts(entry),
  };
}

export function mirrorTableFacts(table: MirrorTable): string[] {
  const columns = table.columns
    .map(
      (c) =>
        `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default ? ` DEFAULT ${c.default}` : ''}${c.description ? ` (${c.description})` : ''}`,
    )
    .join(', ');
  return [
    `Mirror table \`${table.table}\` (upstream mapping ${table.mapping}, synced from ${table.sourceTables.join(', ')}), primary key (${table.primaryKey.join(', ')}).`,
    `Columns: ${columns}.`,
    table.notes,
    'Any role can SELECT from it (GRANT SELECT … TO PUBLIC); only the sync engine writes it. Progress per mapping is in _stack_sync_metadata.',
  ];
}

function mirrorTableDoc(table: MirrorTable): KnowledgeDoc {
  return {
    id: `mirror-table:${table.table}`,
    kind: 'mirror-table',
    citation: `mirror schema › ${table.table} (sync mapping ${table.mapping}, upstream's default Postgres mapping)`,
    title: `Mirror table ${table.table}`,
    names: [table.table, ...table.columns.map((c) => c.name)].join(' '),
    lines: mirrorTableFacts(table),
  };
}

/** Everything ask_hexclave retrieves from: docs passages, registry entries and mirror tables. */
export function buildCorpus(pages: readonly DocPage[]): KnowledgeDoc[] {
  return [...docPassages(pages), ...IDENTIFIERS.map(identifierDoc), ...MIRROR_TABLES.map(mirrorTableDoc)];
}
