import {
  type CheckContext,
  type CheckReport,
  checkExchangeAsync,
  findingKey,
  type ProbeFamily,
  REPORT_SCHEMA_VERSION,
  type ReportFinding,
  type ScenarioResult,
  SEVERITY_RANK,
  type SeverityCounts,
  toHar,
} from '../../../shared/checker/index.js';
import { appVersion } from '../../version.js';
import { classify, showsHexclaveSupport } from './classify.js';
import type { ProbeOptions, ProbeState, ScenarioContext, ScenarioOutcome } from './context.js';
import { gateOnCredentials } from './gate.js';
import { NetworkError, type ProbeExchange, ProbeRecorder } from './http.js';
import { cleanup, decideCleanup } from './scenarios/cleanup.js';
import { authorizeJson, authorizeRedirect, serverUsersList } from './scenarios/oauth-server.js';
import { refreshViaHeader, refreshViaOAuthToken, signIn, signUp, usersMe } from './scenarios/session.js';
import {
  corsPreflight,
  jwks,
  knownErrorWithOverride,
  knownErrorWithoutOverride,
  projectInfo,
} from './scenarios/wire.js';
import { throwawayUsersOf } from './throwaway.js';

type Scenario = (ctx: ScenarioContext) => Promise<ScenarioOutcome>;

const TITLES: Record<string, string> = {
  project: 'project info',
  preflight: 'CORS preflight',
  'sign-up': 'sign-up',
  jwks: 'JWKS',
  'sign-in': 'sign-in',
  'users-me': 'users/me',
  'refresh-header': 'refresh (refresh-token header)',
  'refresh-oauth-token': 'refresh (OAuth token grant)',
  'known-error-override': 'known error, with override',
  'known-error-plain': 'known error, without override',
  'oauth-authorize-json': 'OAuth authorize, JSON mode',
  'oauth-authorize-redirect': 'OAuth authorize, redirect mode',
  'server-users': 'server users list',
  cleanup: 'cleanup',
};
const FAMILIES: readonly ProbeFamily[] = ['old', 'new', 'mixed'];

export { CannotRunError } from './gate.js';

export interface CheckRun {
  readonly report: CheckReport;
  readonly exchanges: readonly (ProbeExchange & { findings: ReportFinding[] })[];
  /** HAR 1.2 of all probe traffic; secrets redacted unless `unsafe`. */
  har(options?: { unsafe?: boolean }): ReturnType<typeof toHar>;
}

/**
 * Run every scenario as an old SDK (stack names), a new SDK (hexclave names) and a mixed client, in parallel
 * per family, check all traffic against the rules and classify the backend.
 */
export async function runCheck(options: ProbeOptions): Promise<CheckRun> {
  const startedAt = new Date();
  const started = performance.now();
  const state: ProbeState = {
    options,
    recorder: new ProbeRecorder(options.apiUrl, options.timeoutMs ?? 10_000),
    users: [],
    sessions: { old: {}, new: {}, mixed: {} },
  };
  const results: ScenarioResult[] = [];
  const run = async (scenario: string, family: ProbeFamily | null, fn: Scenario) => {
    const id = family ? `${scenario}:${family}` : scenario;
    const t0 = performance.now();
    const ctx: ScenarioContext = {
      family,
      state,
      send: (request) => state.recorder.send(id, family, request),
    };
    let outcome: ScenarioOutcome;
    try {
      outcome = await fn(ctx);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      outcome = { status: 'fail', summary: error.message };
    }
    results.push({
      id,
      scenario,
      title: TITLES[scenario]!,
      family,
      ...outcome,
      durationMs: performance.now() - t0,
      exchangeIds: [],
      counts: { error: 0, warning: 0, info: 0 },
    });
  };
  const chain = (family: ProbeFamily, steps: readonly [string, Scenario][]) =>
    steps.reduce<Promise<void>>(
      (previous, [scenario, fn]) => previous.then(() => run(scenario, family, fn)),
      Promise.resolve(),
    );
  const perFamily = (steps: readonly [string, Scenario][]) =>
    Promise.all(FAMILIES.map((family) => chain(family, steps)));

  // Project info first: it is the reachability and credentials gate and names the OAuth provider the later
  // scenarios use. The server key is tried alongside, so a wrong one stops the run before it creates anything.
  const keys = run('jwks', null, jwks);
  await Promise.all([perFamily([['project', projectInfo]]), perFamily([['server-users', serverUsersList]])]);
  try {
    gateOnCredentials(state.recorder.exchanges, results, options);
  } catch (error) {
    await keys.catch(() => {});
    throw error;
  }
  state.cleanupPlan = decideCleanup(state);
  options.onPlan?.(state.cleanupPlan);
  // Each family's session chain starts as soon as its own sign-up is done (password hashing dominates the wall
  // time); only a family whose sign-up failed waits for the others, to sign in with their user.
  const signUps = FAMILIES.map((family) => run('sign-up', family, signUp));
  const allSignUps = Promise.all(signUps);
  const sessions = FAMILIES.map(async (family, i) => {
    await signUps[i];
    if (!state.sessions[family].user) await allSignUps;
    await chain(family, [
      ['sign-in', signIn],
      ['users-me', usersMe],
      ['refresh-header', refreshViaHeader],
      ['refresh-oauth-token', refreshViaOAuthToken],
    ]);
  });
  await Promise.all([
    keys,
    ...sessions,
    perFamily([
      ['preflight', corsPreflight],
      ['known-error-override', knownErrorWithOverride],
      ['known-error-plain', knownErrorWithoutOverride],
    ]),
    perFamily([
      ['oauth-authorize-json', authorizeJson],
      ['oauth-authorize-redirect', authorizeRedirect],
    ]),
  ]);
  await run('cleanup', null, cleanup);

  const ctx: CheckContext = {
    projectId: options.projectId,
    expectedMode: 'unknown',
    apiBaseUrls: options.issuerBaseUrls ?? [new URL(options.apiUrl).origin],
    ...(state.jwks ? { jwks: state.jwks } : {}),
  };
  const checked = await Promise.all(
    state.recorder.exchanges.map(async (probe) => ({
      ...probe,
      findings: (await checkExchangeAsync(probe.exchange, ctx)).map((f) => ({
        ...f,
        scenarioId: probe.scenarioId,
        family: probe.family,
        occurrences: 1,
      })),
    })),
  );
  const findings = aggregate(checked.flatMap((e) => e.findings));
  const order = new Map(results.map((r, i) => [r.id, i]));
  const scenarios = orderScenarios(results).map((s) => ({
    ...s,
    exchangeIds: checked.filter((e) => e.scenarioId === s.id).map((e) => e.exchange.id),
    counts: count(findings.filter((f) => f.scenarioId === s.id)),
  }));
  findings.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      (order.get(a.scenarioId) ?? 0) - (order.get(b.scenarioId) ?? 0),
  );
  const hexclaveSupportSeen = checked.some((e) => showsHexclaveSupport(e.exchange));
  const issuerOrigins = [
    ...new Set(
      findings
        .filter((f) => f.ruleId === 'token.issuer-origin')
        .flatMap((f) => originsOf(f.identifier?.names)),
    ),
  ];
  const verdict = classify(scenarios, findings, hexclaveSupportSeen);
  const counts = count(findings);
  const throwawayUsers = throwawayUsersOf(state);
  const exitCode = verdict.backendClass === 'dual' && counts.error === 0 ? 0 : 1;
  const report: CheckReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'hexclave-companion', version: appVersion() },
    target: {
      apiUrl: options.apiUrl,
      projectId: options.projectId,
      serverKeyGiven: Boolean(options.secretServerKey),
    },
    startedAt: startedAt.toISOString(),
    wallMs: Math.round(performance.now() - started),
    backendClass: verdict.backendClass,
    classReasons: verdict.classReasons,
    oldSdkWorks: verdict.works.old,
    newSdkWorks: verdict.works.new,
    mixedWorks: verdict.works.mixed,
    answers: verdict.answers,
    scenarios,
    findings,
    counts,
    exitCode,
    issuerOrigins,
    throwawayUsers,
  };
  return {
    report,
    exchanges: checked,
    har: ({ unsafe } = {}) =>
      toHar(
        checked.map((e) => ({ exchange: e.exchange, extras: { findings: e.findings } })),
        { unsafe: unsafe === true, creatorVersion: appVersion() },
      ),
  };
}

function aggregate(all: readonly ReportFinding[]): ReportFinding[] {
  const byKey = new Map<string, ReportFinding>();
  for (const f of all) {
    const key = findingKey(f);
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, occurrences: seen.occurrences + 1 } : f);
  }
  return [...byKey.values()];
}

function count(findings: readonly ReportFinding[]): SeverityCounts {
  const counts = { error: 0, warning: 0, info: 0, notChecked: 0 };
  for (const f of findings) counts[f.severity === 'not-checked' ? 'notChecked' : f.severity] += 1;
  return counts;
}

function originsOf(issuers: readonly string[] | undefined): string[] {
  return (issuers ?? []).flatMap((iss) => {
    try {
      return [new URL(iss).origin];
    } catch {
      return [];
    }
  });
}

/** Probe order (as in TITLES), families old → new → mixed; completion order would vary between runs. */
function orderScenarios(results: readonly ScenarioResult[]): ScenarioResult[] {
  const scenarioOrder = Object.keys(TITLES);
  const familyOrder = (f: ProbeFamily | null) => (f === null ? -1 : FAMILIES.indexOf(f));
  return [...results].sort(
    (a, b) =>
      scenarioOrder.indexOf(a.scenario) - scenarioOrder.indexOf(b.scenario) ||
      familyOrder(a.family) - familyOrder(b.family),
  );
}
