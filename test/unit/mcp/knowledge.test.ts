import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../mcp-server/knowledge/index.js';
import { splitMarkdown } from '../../../mcp-server/knowledge/markdown-passages.js';

const PAGES = [
  {
    path: 'docs/sync.md',
    content: `# Sync

Intro paragraph that is
soft-wrapped over two lines.

## Freshness

The mirror is refreshed within tens of milliseconds of a change. Each mapping keeps a checkpoint.

\`\`\`sh
# not a heading
hexclave-companion sync --once
\`\`\`

| Column | Meaning |
| ------ | ------- |
| lag | change-to-mirror delay |
`,
  },
  { path: 'README.md', content: '# Readme\n\nRun `npm test` to run every test.\n' },
];

describe('markdown passages', () => {
  it('splits by heading path, joins soft-wrapped lines, flattens tables and ignores # inside code', () => {
    const passages = splitMarkdown('docs/sync.md', PAGES[0]!.content);
    expect(passages.map((p) => p.headings)).toEqual([['Sync'], ['Sync', 'Freshness']]);
    expect(passages[0]!.lines).toEqual(['Intro paragraph that is soft-wrapped over two lines.']);
    expect(passages[1]!.lines).toContain('```sh\n# not a heading\nhexclave-companion sync --once\n```');
    expect(passages[1]!.lines).toContain('lag · change-to-mirror delay');
  });
});

describe('offline answers', () => {
  const kb = new KnowledgeBase(PAGES);

  it('answers from the best passage with its heading-path citation', () => {
    const answer = kb.answer('How fresh is the mirror after a change?');
    expect(answer.answer).toContain('tens of milliseconds');
    expect(answer.citations[0]).toMatchObject({ kind: 'doc', source: 'docs/sync.md › Sync › Freshness' });
    expect(answer.answer).toContain('[1] docs/sync.md › Sync › Freshness');
  });

  it('always answers a named identifier from the registry, with twin, policy and shipped-SDK notes', () => {
    const answer = kb.answer('my app sets STACK_SECRET_SERVER_KEY, is that still fine?');
    expect(answer.identifiers).toEqual([
      expect.objectContaining({
        id: 'env.STACK_SECRET_SERVER_KEY',
        twin: 'HEXCLAVE_SECRET_SERVER_KEY',
        policy: 'read-new-first',
      }),
    ]);
    expect(answer.answer).toContain('its twin is `HEXCLAVE_SECRET_SERVER_KEY`');
    expect(answer.answer).toContain('Shipped SDK:');
    expect(answer.citations[0]?.source).toContain('identifier registry › env.STACK_SECRET_SERVER_KEY');
  });

  it('fills a concrete instance into the twin, placeholders and __Host- prefix included', () => {
    expect(kb.answer('Is __Host-hexclave-refresh-<id>--default set?').identifiers[0]).toMatchObject({
      id: 'cookie.refresh-default',
      twin: '__Host-stack-refresh-<id>--default',
    });
    const answer = kb.answer('STACK_EMAIL_HOST');
    expect(answer.identifiers[0]).toMatchObject({ twin: 'HEXCLAVE_EMAIL_HOST', params: { suffix: 'HOST' } });
    expect(answer.answer).toContain('a concrete instance of `STACK_EMAIL_{suffix}` (suffix=HOST)');
  });

  it('describes mirror tables from the one mirror schema definition', () => {
    const answer = kb.answer('Which columns does the users mirror table have?');
    expect(answer.citations[0]).toMatchObject({ kind: 'mirror-table' });
    expect(answer.answer).toContain('primary_email_verified boolean NOT NULL');
  });

  it('says plainly when nothing matches', () => {
    expect(kb.answer('zzzz qqqq').answer).toMatch(/^Nothing in the bundled knowledge base matches/);
  });

  it('is deterministic: a fresh knowledge base gives the same bytes', () => {
    const question = 'Does the new SDK still send x-stack-project-id and how fresh is the mirror?';
    expect(JSON.stringify(new KnowledgeBase(PAGES).answer(question))).toBe(
      JSON.stringify(kb.answer(question)),
    );
  });
});
