import { type JsonWebKeySet, toHar } from '../../../shared/checker/index.js';
import { fetchJwks } from '../../../shared/tokens.js';
import { curlCommand, toDetail, toSummary } from '../../traffic/index.js';
import type { ApiHandlers } from '../dispatcher.js';
import { ApiError } from '../dispatcher.js';
import type { AppContext } from './context.js';

type TrafficMethods =
  | 'traffic.list'
  | 'traffic.get'
  | 'traffic.curlWithSecrets'
  | 'traffic.exportHar'
  | 'traffic.clear';
const JWKS_CACHE_MS = 10 * 60_000;

export function trafficHandlers({ workspace }: AppContext): Pick<ApiHandlers, TrafficMethods> {
  const jwksCache = new Map<string, { at: number; jwks: JsonWebKeySet | null }>();
  const jwksFor = async (apiUrl: string, projectId: string) => {
    const url = `${apiUrl.replace(/\/$/, '')}/api/v1/projects/${encodeURIComponent(projectId)}/.well-known/jwks.json`;
    const cached = jwksCache.get(url);
    if (cached && Date.now() - cached.at < JWKS_CACHE_MS) return cached.jwks;
    const jwks = await fetchJwks(url).catch(() => null);
    jwksCache.set(url, { at: Date.now(), jwks });
    return jwks;
  };
  return {
    'traffic.list': async ({ project, afterSeq, limit }) => {
      const items = workspace
        .traffic(project)
        .list()
        .filter((item) => item.seq > afterSeq);
      return { items: items.slice(-limit).map(toSummary) };
    },
    'traffic.get': async ({ project, seq }) => {
      const item = workspace.traffic(project).get(seq);
      if (!item) throw new ApiError('NotFound', `Exchange #${seq} is no longer kept (only the latest are).`);
      const summary = workspace.projects.get(project);
      const apiUrl = workspace.runtimeState(project).apiUrl ?? summary.apiUrl;
      const jwks = apiUrl && summary.projectId ? await jwksFor(apiUrl, summary.projectId) : null;
      return toDetail(item, { projectId: summary.projectId, apiBaseUrls: apiUrl ? [apiUrl] : [], jwks });
    },
    'traffic.curlWithSecrets': async ({ project, seq }) => {
      const item = workspace.traffic(project).get(seq);
      if (!item) throw new ApiError('NotFound', `Exchange #${seq} is no longer kept (only the latest are).`);
      return { command: curlCommand(item.exchange, { withSecrets: true }).command };
    },
    'traffic.exportHar': async ({ project, seqs, unsafe }) => {
      const wanted = seqs ? new Set(seqs) : null;
      const items = workspace
        .traffic(project)
        .list()
        .filter((item) => !wanted || wanted.has(item.seq));
      const har = toHar(
        items.map((item) => ({
          exchange: item.exchange,
          extras: { attribution: item.attribution, findings: item.findings },
        })),
        { unsafe },
      );
      return { fileName: `hexclave-traffic-${Date.now()}.har`, content: JSON.stringify(har, null, 2) };
    },
    'traffic.clear': async ({ project }) => {
      workspace.traffic(project).clear();
      return { ok: true };
    },
  };
}
