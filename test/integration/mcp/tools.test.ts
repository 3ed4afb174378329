import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../main/postgres/index.js';
import { formatBearer } from '../../../shared/registry/index.js';
import { type JwksBackend, startJwksBackend } from '../../helpers/jwks-server.js';
import { type ConnectedMcp, connectInMemory, mcpConfig, structuredOf, textOf } from '../../helpers/mcp.js';
import { setupMirrorDatabase } from '../../helpers/mirror.js';
import { startTcpTap } from '../../helpers/tcp-tap.js';

// Every tool over the real protocol (in-memory transport), happy paths and the errors a user will hit.

const mirror = setupMirrorDatabase();
let mcp: ConnectedMcp;
let offline: ConnectedMcp;
let backend: JwksBackend;
let projectDir: string;

beforeAll(async () => {
  backend = await startJwksBackend();
  projectDir = mkdtempSync(join(tmpdir(), 'mcp-tools-project-'));
  writeFileSync(
    join(projectDir, '.env'),
    'STACK_PROJECT_ID=old-id\nSTACK_SECRET_SERVER_KEY=ssk_abcdefgh12345678\n',
  );
  writeFileSync(join(projectDir, '.env.local'), 'HEXCLAVE_PROJECT_ID=new-id\n');
  mkdirSync(join(projectDir, 'apps', 'web'), { recursive: true });
  writeFileSync(
    join(projectDir, 'apps', 'web', '.env'),
    'NEXT_PUBLIC_HEXCLAVE_PROJECT_ID=\nNEXT_PUBLIC_STACK_PROJECT_ID=web-id\n',
  );
  mcp = await connectInMemory(
    mcpConfig({
      projectDir,
      mirrorDatabaseUrl: mirror().readerUrl,
      apiUrl: backend.apiUrl,
      projectId: backend.projectId,
    }),
  );
  offline = await connectInMemory(mcpConfig());
});

afterAll(async () => {
  await mcp?.close();
  await offline?.close();
  await backend?.close();
});

describe('ask_hexclave / ask_stack_auth', () => {
  const input = { reason: 'test', userPrompt: 'what replaced it?' };

  it('answers a named identifier from the registry with a citation, plus live mirror facts apart', async () => {
    const result = await mcp.call('ask_hexclave', {
      ...input,
      question: 'Is my mirror up to date, and what replaced x-stack-access-token?',
    });
    expect(result.isError).toBeFalsy();
    const structured = structuredOf<{ identifiers: unknown[]; answer: string; live: { mirror: unknown } }>(
      result,
    );
    expect(structured.identifiers[0]).toMatchObject({
      id: 'header.access-token',
      twin: 'x-hexclave-access-token',
    });
    expect(structured.answer).not.toContain('Live facts');
    expect(structured.live.mirror).toMatchObject({ status: 'synced' });
    expect(textOf(result)).toContain('Mirror users: synced up to sequence id 43 at 2025-03-04 05:06:30');
    expect(textOf(result)).toMatch(/\[conversationId: hx-[0-9a-f]{16} — pass this value/);
  });

  it('opens no database connection unless the question is about the live mirror', async () => {
    const tap = await startTcpTap(mirror().url.replace(/^postgres(ql)?:/, 'http:'));
    const tapped = new URL(mirror().readerUrl);
    tapped.port = new URL(tap.url).port;
    const viaTap = await connectInMemory(mcpConfig({ mirrorDatabaseUrl: tapped.href }));
    try {
      for (const question of ['What tables does the sync mirror?', 'What replaced STACK_PROJECT_ID?']) {
        const result = await viaTap.call('ask_hexclave', { question });
        expect(result.structuredContent).toMatchObject({ covered: true, live: null });
      }
      expect(tap.connections).toHaveLength(0);
      const live = await viaTap.call('ask_hexclave', { question: 'How far behind is my mirror right now?' });
      expect(live.structuredContent).toMatchObject({ live: { mirror: { status: 'synced' } } });
      expect(tap.connections.length).toBeGreaterThan(0);
    } finally {
      await viaTap.close();
      await tap.stop();
    }
  });

  it('gives byte-identical results under both names, and echoes a given conversationId', async () => {
    const args = {
      ...input,
      question: 'Is __Host-hexclave-refresh-<id>--default dual-written?',
      conversationId: 'c-1',
    };
    const [hexclave, stack] = await Promise.all([
      mcp.call('ask_hexclave', args),
      mcp.call('ask_stack_auth', args),
    ]);
    expect(JSON.stringify(stack)).toBe(JSON.stringify(hexclave));
    expect(JSON.stringify(hexclave)).not.toMatch(/ask_hexclave|ask_stack_auth/);
    expect((hexclave.structuredContent as { conversationId: string }).conversationId).toBe('c-1');
  });

  it('declines a question outside its knowledge base and says what it covers', async () => {
    const result = await offline.call('ask_hexclave', { question: 'How do I set up SAML SSO with Okta?' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      covered: false,
      questionType: 'out-of-domain',
      citations: [],
      live: null,
    });
    expect(textOf(result)).toMatch(
      /^\*\*Not covered\.\*\* .*\n\nIt answers from Hexclave Companion's own sources: .*rename/s,
    );
  });

  it('leaves the live section out when nothing live is configured', async () => {
    const result = await offline.call('ask_stack_auth', {
      ...input,
      question: 'What columns does users have?',
    });
    expect(result.structuredContent).toMatchObject({ live: null });
    expect(textOf(result)).not.toContain('Live facts');
  });

  it('needs only the question; reason and userPrompt are optional, unknown arguments are refused', async () => {
    const bare = await offline.call('ask_hexclave', { question: 'What replaced x-stack-project-id?' });
    expect(bare.isError).toBeFalsy();
    const extra = await offline.call('ask_hexclave', { question: 'x', reasn: 'typo' });
    expect(extra.isError).toBe(true);
    expect(textOf(extra)).toMatch(/reasn/);
  });
});

describe('lookup_identifier', () => {
  it('resolves a concrete instance to its entry with parameters and shipped-SDK notes', async () => {
    const result = await offline.call('lookup_identifier', { name: 'stack-refresh-abc123--default' });
    expect(result.structuredContent).toMatchObject({
      exact: true,
      matches: [
        {
          id: 'cookie.refresh-default',
          new: 'hexclave-refresh-{projectId}--default',
          match: { family: 'stack', params: { projectId: 'abc123' } },
          shipped: expect.stringContaining('2.8.108'),
        },
      ],
    });
  });

  it('searches fragments within a category', async () => {
    const result = await offline.call('lookup_identifier', { name: 'refresh', category: 'cookie', limit: 3 });
    const matches = (result.structuredContent as { matches: { category: string }[] }).matches;
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.every((m) => m.category === 'cookie')).toBe(true);
  });

  it('pages through a long result with offset and nextOffset, the text a short list', async () => {
    type Page = { total: number; nextOffset: number | null; truncated: boolean; matches: { id: string }[] };
    const first = await offline.call('lookup_identifier', { name: 'STACK', category: 'env-var', limit: 20 });
    const page1 = structuredOf<Page>(first);
    expect(page1).toMatchObject({ nextOffset: 20, truncated: true });
    expect(page1.total).toBeGreaterThan(40);
    expect(textOf(first)).toMatch(
      new RegExp(
        `^${page1.total} registry entries for "STACK" \\(showing 1–20; next page: offset 20\\):\\n- `,
      ),
    );
    expect(() => JSON.parse(textOf(first))).toThrow();
    const seen = new Set(page1.matches.map((m) => m.id));
    let offset: number | null = page1.nextOffset;
    while (offset !== null) {
      const page = structuredOf<Page>(
        await offline.call('lookup_identifier', { name: 'STACK', category: 'env-var', limit: 20, offset }),
      );
      for (const m of page.matches) seen.add(m.id);
      offset = page.nextOffset;
    }
    expect(seen.size).toBe(page1.total);
    const past = await offline.call('lookup_identifier', {
      name: 'STACK',
      category: 'env-var',
      offset: 5000,
    });
    expect(past.isError).toBe(true);
    expect(textOf(past)).toMatch(/offset 5000 is past the last of the \d+ matching entries/);
  });

  it('says clearly when an identifier is unknown, with the closest entries', async () => {
    const result = await offline.call('lookup_identifier', { name: 'x-stack-acess-tokn' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /No registry identifier matches "x-stack-acess-tokn"\. Closest entries: .*header\.access-token/,
    );
  });
});

describe('explain_env', () => {
  it('explains which name wins from which file, with secrets redacted', async () => {
    const result = await mcp.call('explain_env', {});
    expect(result.isError).toBeFalsy();
    const { variables } = structuredOf<{
      variables: { canonicalName: string; effective: { value: string } | null; conflict: boolean }[];
    }>(result);
    const projectId = variables.find((v) => v.canonicalName === 'HEXCLAVE_PROJECT_ID');
    expect(projectId?.effective).toMatchObject({
      name: 'HEXCLAVE_PROJECT_ID',
      source: '.env.local',
      value: 'new-id',
    });
    expect(projectId?.conflict).toBe(true);
    const key = variables.find((v) => v.canonicalName === 'HEXCLAVE_SECRET_SERVER_KEY');
    expect(key?.effective?.value).toMatch(/^ssk_••••• \(\d+ chars, redacted\)$/);
    expect(JSON.stringify(result)).not.toContain('abcdefgh12345678');
  });

  it('explains a subfolder and warns when an empty HEXCLAVE_ value masks the STACK_ one', async () => {
    const result = await mcp.call('explain_env', { dir: 'apps/web' });
    expect((result.structuredContent as { warnings: string[] }).warnings.join('\n')).toMatch(
      /NEXT_PUBLIC_HEXCLAVE_PROJECT_ID is set but empty/,
    );
  });

  it('cuts a long value and marks it, keeping the report small', async () => {
    mkdirSync(join(projectDir, 'apps', 'long'), { recursive: true });
    writeFileSync(
      join(projectDir, 'apps', 'long', '.env'),
      `HEXCLAVE_API_URL=https://${'a'.repeat(20_000)}.test\n`,
    );
    const result = await mcp.call('explain_env', { dir: 'apps/long' });
    const url = structuredOf<{
      truncated: boolean;
      variables: { canonicalName: string; effective: { value: string } }[];
    }>(result);
    expect(url.truncated).toBe(true);
    const value = url.variables.find((v) => v.canonicalName === 'HEXCLAVE_API_URL')!.effective.value;
    expect(value).toMatch(/^https:\/\/a+… \[truncated, 20013 bytes\]$/);
    expect(new TextEncoder().encode(value).length).toBeLessThanOrEqual(2048);
    expect(JSON.stringify(result).length).toBeLessThan(10_000);
  });

  it('refuses folders outside the project', async () => {
    const result = await mcp.call('explain_env', { dir: '../..' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/outside the project folder/);
  });
});

interface TokenReport {
  times: { state: string; explanation: string; skewSeconds: number };
  verification: { status: string };
  findings: { ruleId: string }[];
}

describe('decode_token', () => {
  it('verifies a token against the project JWKS and explains its lifetime', async () => {
    const result = await mcp.call('decode_token', { token: await backend.sign() });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      projectId: backend.projectId,
      verification: { status: 'verified', kid: 'test-key-01a' },
      times: { state: 'valid', explanation: expect.stringMatching(/^Expires in 10 min\. Lifetime 10 min/) },
      findings: [],
    });
  });

  it('accepts the SDK Bearer value and flags an expired token', async () => {
    const token = await backend.sign({ iatOffsetSec: -3600 });
    const bearer = formatBearer({ accessToken: token, refreshToken: 'r' }, 'hexclave')!;
    const result = await mcp.call('decode_token', { token: bearer });
    const structured = structuredOf<TokenReport>(result);
    expect(structured.times.state).toBe('expired');
    expect(structured.times.explanation).toMatch(/^Expired 50 min ago/);
    expect(structured.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('token.expired');
  });

  it('explains clock skew beyond ±30 s and a signature by a foreign key', async () => {
    const result = await mcp.call('decode_token', {
      token: await backend.sign({ iatOffsetSec: 300 }, { foreignKey: true }),
    });
    const structured = structuredOf<TokenReport>(result);
    expect(structured.times.skewSeconds).toBeGreaterThan(290);
    expect(structured.times.explanation).toMatch(/in the future: this machine's clock is behind/);
    expect(structured.verification.status).toBe('invalid');
    expect(structured.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(
      expect.arrayContaining(['token.clock-skew', 'token.signature']),
    );
  });

  it('still decodes when the backend is unreachable, and says verification did not happen', async () => {
    const port = await freePort();
    const down = await connectInMemory(
      mcpConfig({ apiUrl: `http://127.0.0.1:${port}`, projectId: backend.projectId }),
    );
    try {
      const result = await down.call('decode_token', { token: await backend.sign() });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        claims: { project_id: backend.projectId },
        verification: { status: 'unreachable', reason: expect.stringMatching(/ECONNREFUSED.*NOT verified/) },
      });
    } finally {
      await down.close();
    }
  });

  it('refuses something that is not a JWT', async () => {
    const result = await mcp.call('decode_token', { token: 'hello' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not a decodable JWT/);
  });
});

describe('find_user', () => {
  it('finds by any email channel, case-insensitively, with channels and teams', async () => {
    const result = await mcp.call('find_user', { query: 'Countess@Analytical.Engine' });
    expect(result.structuredContent).toMatchObject({
      matchedBy: 'email',
      users: [
        {
          id: '11111111-1111-4111-8111-111111111111',
          displayName: 'Ada Lovelace',
          serverMetadata: { plan: 'pro' },
          signedUpAt: '2025-01-02 03:04:05',
          teams: [{ displayName: 'Analytical Engines' }],
        },
      ],
    });
  });

  it('finds by id and by name fragment', async () => {
    const byId = await mcp.call('find_user', { query: '22222222-2222-4222-8222-222222222222' });
    expect(byId.structuredContent).toMatchObject({
      matchedBy: 'id',
      users: [{ displayName: 'Grace Hopper' }],
    });
    const byName = await mcp.call('find_user', { query: 'hopp' });
    expect(byName.structuredContent).toMatchObject({
      matchedBy: 'name',
      users: [{ primaryEmail: 'grace@example.com' }],
    });
  });

  it('pages newest first with offset and nextOffset, and summarises in the text', async () => {
    const first = await mcp.call('find_user', { query: 'example.com', by: 'name', limit: 1 });
    expect(first.structuredContent).toMatchObject({
      offset: 0,
      nextOffset: 1,
      truncated: true,
      users: [{ displayName: 'Grace Hopper' }],
    });
    expect(textOf(first)).toBe(
      '1 user matched by name; more match — next page: offset 1.\n- 22222222-2222-4222-8222-222222222222 grace@example.com — Grace Hopper',
    );
    const second = await mcp.call('find_user', { query: 'example.com', by: 'name', limit: 1, offset: 1 });
    expect(second.structuredContent).toMatchObject({
      offset: 1,
      nextOffset: null,
      truncated: false,
      users: [{ displayName: 'Ada Lovelace' }],
    });
  });

  it('explains a malformed id and a missing mirror', async () => {
    const badId = await mcp.call('find_user', { query: 'not-a-uuid', by: 'id' });
    expect(textOf(badId)).toMatch(/not a user id: user ids are UUIDs/);
    const noMirror = await offline.call('find_user', { query: 'ada' });
    expect(noMirror.isError).toBe(true);
    expect(textOf(noMirror)).toMatch(
      /No mirror database is configured: start the server with --mirror-database-url/,
    );
  });
});

describe('query_mirror', () => {
  it('returns typed columns, JSON rows and says when the row cap truncated them', async () => {
    const result = await mcp.call('query_mirror', {
      sql: 'SELECT id, primary_email, signed_up_at, server_metadata FROM users ORDER BY signed_up_at;',
      maxRows: 2,
    });
    expect(result.structuredContent).toMatchObject({
      columns: [
        { name: 'id', type: 'uuid' },
        { name: 'primary_email', type: 'text' },
        { name: 'signed_up_at', type: 'timestamp without time zone' },
        { name: 'server_metadata', type: 'jsonb' },
      ],
      rows: [
        ['11111111-1111-4111-8111-111111111111', 'ada@example.com', '2025-01-02 03:04:05', { plan: 'pro' }],
        ['22222222-2222-4222-8222-222222222222', 'grace@example.com', '2025-02-03 04:05:06', {}],
      ],
      rowCount: 2,
      truncated: true,
    });
  });

  it.each([
    ['SELECT * FROM users WHERE', /SQL syntax error \(at line 1, column 26\)/],
    ['SELECT nope FROM users', /column "nope" does not exist/],
    ['SELECT * FROM no_such_table', /relation "no_such_table" does not exist.*mirror's tables/],
    [
      "DELETE FROM users WHERE primary_email = 'ada@example.com'",
      /DELETE is refused: the mirror is read-only/,
    ],
    ['SELECT 1; DROP TABLE users', /Exactly one statement is allowed, found 2/],
  ])('refuses or explains %s', async (sql, message) => {
    const result = await mcp.call('query_mirror', { sql });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(message);
  });

  it('cancels a query that runs past the statement timeout', async () => {
    const slow = await connectInMemory(
      mcpConfig({ mirrorDatabaseUrl: mirror().readerUrl, statementTimeoutMs: 200 }),
    );
    try {
      const result = await slow.call('query_mirror', { sql: 'SELECT pg_sleep(5)' });
      expect(textOf(result)).toMatch(/longer than the 200 ms statement timeout/);
    } finally {
      await slow.close();
    }
  });

  it('names the mirror (password redacted) when it cannot connect', async () => {
    const port = await freePort();
    const down = await connectInMemory(
      mcpConfig({ mirrorDatabaseUrl: `postgres://app:s3cret@127.0.0.1:${port}/mirror` }),
    );
    try {
      const result = await down.call('query_mirror', { sql: 'SELECT 1' });
      expect(textOf(result)).toMatch(
        /Cannot connect to the mirror database at postgres:\/\/app:\*\*\*\*\*@127\.0\.0\.1/,
      );
      expect(textOf(result)).not.toContain('s3cret');
    } finally {
      await down.close();
    }
  });
});

describe('profile_query', () => {
  it('returns a validated plan summary with estimated and actual rows', async () => {
    const result = await mcp.call('profile_query', {
      sql: 'SELECT u.id FROM users u JOIN contact_channels c ON c.user_id = u.id',
    });
    expect(result.isError).toBeFalsy();
    const structured = structuredOf<{
      nodes: { relation: string | null }[];
      attempts: unknown[];
      plan: Record<string, number>;
    }>(result);
    expect(structured.nodes[0]).toMatchObject({ depth: 0, nodeType: expect.any(String) });
    expect(structured.nodes.map((n: { relation: string | null }) => n.relation)).toEqual(
      expect.arrayContaining(['users', 'contact_channels']),
    );
    expect(structured.attempts).toEqual([{ attempt: 1, outcome: 'ok' }]);
    expect(structured.plan['Execution Time']).toBeGreaterThanOrEqual(0);
  });

  it('applies the same guards as query_mirror', async () => {
    const result = await mcp.call('profile_query', { sql: 'UPDATE users SET display_name = NULL' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/UPDATE is refused/);
  });
});
