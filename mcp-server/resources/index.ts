import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { IDENTIFIERS, POLICY_LABELS } from '../../shared/registry/index.js';
import type { KnowledgeBase } from '../knowledge/index.js';

export const RESOURCE_SCHEME = 'hexclave-companion';

function json(uri: URL, value: unknown) {
  return {
    contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
  };
}

/**
 * Read-only context a client can attach: the identifier registry, the mirror's tables and every docs page —
 * the knowledge base ask_hexclave cites included, so every citation can be opened. Pages are read when asked for.
 */
export function registerResources(server: McpServer, knowledge: KnowledgeBase): void {
  server.registerResource(
    'identifier-registry',
    `${RESOURCE_SCHEME}://registry`,
    {
      title: 'Stack → Hexclave identifier registry',
      description:
        'Every old stack identifier, its hexclave twin, policy, and where the shipped SDK differs (JSON).',
      mimeType: 'application/json',
    },
    (uri) => json(uri, { policies: POLICY_LABELS, identifiers: IDENTIFIERS }),
  );
  server.registerResource(
    'mirror-tables',
    `${RESOURCE_SCHEME}://mirror/tables`,
    {
      title: 'Mirror table schemas',
      description:
        "The tables the sync engine writes (upstream's default Postgres mappings) and _stack_sync_metadata (JSON).",
      mimeType: 'application/json',
    },
    async (uri) => {
      const { MIRROR_TABLES, SYNC_METADATA_TABLE } = await import('../../main/mirror/tables.js');
      return json(uri, { metadataTable: SYNC_METADATA_TABLE, tables: MIRROR_TABLES });
    },
  );
  for (const path of knowledge.pagePaths()) {
    server.registerResource(
      `doc:${path}`,
      `${RESOURCE_SCHEME}://docs/${path.replace(/^docs\//, '')}`,
      { title: path, description: `Hexclave Companion documentation: ${path}`, mimeType: 'text/markdown' },
      (uri) => ({
        contents: [{ uri: uri.href, mimeType: 'text/markdown', text: knowledge.page(path).content }],
      }),
    );
  }
}
