import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { sanitise } from '../../../mcp-server/knowledge/answer.js';
import { knowledgePassages } from '../../../mcp-server/knowledge/corpus.js';
import { KnowledgeBase, MAX_ANSWER_CHARS } from '../../../mcp-server/knowledge/index.js';
import { identifierTokens, words } from '../../../mcp-server/knowledge/terms.js';
import { asksAboutLiveMirror } from '../../../mcp-server/tools/ask-hexclave.js';

const SYNC_PAGE = {
  path: 'docs/knowledge/sync.md',
  content: `# Sync

## Freshness

The mirror is refreshed within tens of milliseconds of a change. Each mapping keeps a checkpoint.
<!-- a note for authors -->

## The \`_stack_sync_metadata\` table

One row per mapping with \`last_synced_sequence_id\`.
`,
};

describe('knowledge pages', () => {
  it('split into one passage per ## heading, cited by page and plain heading, author notes dropped', async () => {
    const passages = knowledgePassages(SYNC_PAGE);
    expect(passages.map((p) => p.citation)).toEqual([
      'docs/knowledge/sync.md › Freshness',
      'docs/knowledge/sync.md › The _stack_sync_metadata table',
    ]);
    expect(passages[0]!.body).not.toContain('note for authors');
    expect(passages[1]!.heading).toBe('The `_stack_sync_metadata` table');
    expect(passages[0]!.topic).toBe('Sync');
  });

  it('every citation of the bundled knowledge base names a page and heading a user can open', async () => {
    const root = packageRoot();
    const kb = KnowledgeBase.fromPackage(root);
    for (const passage of await kb.passages()) {
      const [path, heading] = passage.citation.replace(/ \(table \w+\)$/, '').split(' › ');
      if (passage.kind === 'registry') continue; // cited by the `ids --category` command that lists it
      expect(existsSync(join(root, path!)), passage.citation).toBe(true);
      const headings = readFileSync(join(root, path!), 'utf8')
        .split('\n')
        .filter((line) => /^#{1,3} /.test(line))
        .map((line) => line.replace(/^#+ /, '').replace(/`/g, ''));
      expect(headings, passage.citation).toContain(heading);
    }
  });
});

describe('identifier-aware terms', () => {
  it('keep names whole, with every placeholder spelling the same', async () => {
    const forms = [
      'stack-refresh-<id>--default',
      'stack-refresh-{projectId}--default',
      'stack-refresh-[pid]--default',
    ];
    expect(new Set(forms.flatMap(identifierTokens))).toEqual(new Set(['stack-refresh-{}--default']));
    expect(identifierTokens('Is __Host-hexclave-refresh-<id>--default set?')).toEqual([
      '__host-hexclave-refresh-{}--default',
      'hexclave-refresh-{}--default',
    ]);
    expect(identifierTokens('the `iss` is https://api.hexclave.com/api/v1/projects/{projectId}.')).toEqual([
      'https://api.hexclave.com/api/v1/projects/{}',
      'api.hexclave.com',
    ]);
  });

  it('read a bare prefix as its family, and plain English compounds and emphasis as words', async () => {
    expect(identifierTokens('both STACK_ and HEXCLAVE_ are set')).toEqual(['stack_{}', 'hexclave_{}']);
    expect(identifierTokens('the mirror is read-only; **dual-accept** applies')).toEqual([]);
    expect(words('read-only mirrors were synced')).toEqual(['readonli', 'mirror', 'sync']);
  });
});

describe('answers', () => {
  const kb = KnowledgeBase.fromPackage(packageRoot());

  it('always answer a named identifier from the registry, with twin, policy and shipped-SDK notes', async () => {
    const answer = await kb.answer('my app sets STACK_SECRET_SERVER_KEY, is that still fine?');
    expect(answer.questionType).toBe('identifier');
    expect(answer.identifiers).toEqual([
      expect.objectContaining({ id: 'env.STACK_SECRET_SERVER_KEY', twin: 'HEXCLAVE_SECRET_SERVER_KEY' }),
    ]);
    expect(answer.answer).toContain('its twin is `HEXCLAVE_SECRET_SERVER_KEY`');
    expect(answer.answer).toContain('Shipped SDK:');
    expect(answer.citations[0]).toMatchObject({
      kind: 'identifier',
      source:
        'identifier registry › env.STACK_SECRET_SERVER_KEY (npx hexclave-companion ids STACK_SECRET_SERVER_KEY)',
    });
  });

  it('fill a concrete instance into the twin, placeholders and __Host- prefix included', async () => {
    expect((await kb.answer('Is __Host-hexclave-refresh-<id>--default set?')).identifiers[0]).toMatchObject({
      id: 'cookie.refresh-default',
      twin: '__Host-stack-refresh-<id>--default',
    });
    const answer = await kb.answer('STACK_EMAIL_HOST');
    expect(answer.identifiers[0]).toMatchObject({ twin: 'HEXCLAVE_EMAIL_HOST', params: { suffix: 'HOST' } });
  });

  it('quote the best passage whole, with its heading and citation', async () => {
    const answer = await kb.answer('What issuer does a Hexclave JWT carry?');
    expect(answer).toMatchObject({ covered: true, questionType: 'concept' });
    expect(answer.citations[0]!.source).toBe(
      'docs/knowledge/rename.md › JWT issuer of a Hexclave access token',
    );
    expect(answer.answer).toContain('**JWT issuer of a Hexclave access token** [1]');
    expect(answer.answer).toContain('https://api.hexclave.com/api/v1/projects/{projectId}');
  });

  it('list every mirror table from the sync engine’s own mappings', async () => {
    const answer = await kb.answer('What tables does the sync mirror?');
    for (const table of ['users', 'team_invitations', 'email_outboxes', 'connected_accounts']) {
      expect(answer.answer).toContain(`\`${table}\``);
    }
  });

  it('read a how-to question as one', async () => {
    expect((await kb.answer('How do I start the local emulator?')).questionType).toBe('how-to');
  });

  it('decline what the knowledge base does not cover, and say what it does cover', async () => {
    for (const question of ['zzzz qqqq', 'Does Hexclave offer a HIPAA business associate agreement?']) {
      const answer = await kb.answer(question);
      expect(answer).toMatchObject({ covered: false, questionType: 'out-of-domain', citations: [] });
      expect(answer.answer).toMatch(/^\*\*Not covered\.\*\*/);
      expect(answer.answer).toContain('external database sync');
      expect(answer.answer).toContain('the identifier registry');
    }
  });

  it('stay within the size cap even when a question names many identifiers', async () => {
    const many =
      'x-stack-access-token x-stack-refresh-token x-stack-project-id x-stack-access-type x-stack-api-key x-stack-branch-id x-stack-client-version STACK_PROJECT_ID';
    const answer = await kb.answer(many);
    expect(answer.answer.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
    expect(answer.truncated).toBe(true);
    expect(answer.answer).toContain('more identifiers: look them up with lookup_identifier');
  });

  it('is deterministic: a fresh knowledge base gives the same bytes', async () => {
    const question = 'Does the new SDK still send x-stack-project-id and how fresh is the mirror?';
    expect(JSON.stringify(await KnowledgeBase.fromPackage(packageRoot()).answer(question))).toBe(
      JSON.stringify(await kb.answer(question)),
    );
  });

  it('never quotes internal source references', async () => {
    expect(sanitise('name (`js108:CAI:564-566`) and sh102:CI:1218 here (`CAI:12`).')).toBe('name and here.');
  });
});

describe('live facts', () => {
  it('are read only for questions about the mirror as it is now', async () => {
    expect(asksAboutLiveMirror('Is my mirror up to date?')).toBe(true);
    expect(asksAboutLiveMirror('How far behind is the sync right now?')).toBe(true);
    expect(asksAboutLiveMirror('Where is the sync checkpoint stored?')).toBe(false);
    expect(asksAboutLiveMirror('How does this sync handle the last page?')).toBe(false);
    expect(asksAboutLiveMirror('What replaced x-stack-access-token?')).toBe(false);
  });
});
