import {
  type BackendClass,
  type Exchange,
  headerList,
  type ProbeFamily,
  type ReportFinding,
  type ScenarioResult,
  type TestPlanAnswer,
} from '../../../shared/checker/index.js';
import { entriesOf } from '../../../shared/registry/index.js';

const HEXCLAVE_HEADER_NAMES = new Set(
  [...entriesOf('request-header'), ...entriesOf('response-header')].flatMap((e) => (e.new ? [e.new] : [])),
);

/** Any hexclave header name in a response or in its CORS lists: the backend has at least begun the rename. */
export function showsHexclaveSupport(exchange: Exchange): boolean {
  return (exchange.response?.headers ?? []).some(([rawName, value]) => {
    const name = rawName.toLowerCase();
    if (HEXCLAVE_HEADER_NAMES.has(name)) return true;
    return (
      name.startsWith('access-control-') && [...headerList(value)].some((n) => HEXCLAVE_HEADER_NAMES.has(n))
    );
  });
}

/** Scenarios every SDK call path depends on; an SDK generation "works" when none of these fails. */
export const ESSENTIAL_SCENARIOS = new Set([
  'project',
  'preflight',
  'sign-up',
  'sign-in',
  'users-me',
  'refresh-header',
  'refresh-oauth-token',
  'known-error-override',
  'server-users',
]);

export interface Verdict {
  readonly backendClass: BackendClass;
  readonly classReasons: string[];
  readonly works: Record<ProbeFamily, boolean>;
  readonly answers: TestPlanAnswer[];
}

function failures(
  scenarios: readonly ScenarioResult[],
  family: ProbeFamily,
  only = ESSENTIAL_SCENARIOS,
): ScenarioResult[] {
  return scenarios.filter((s) => s.family === family && s.status === 'fail' && only.has(s.scenario));
}

function unique(items: readonly string[], max = 3): string[] {
  return [...new Set(items.map((item) => item.replace(/\.$/, '')))].slice(0, max);
}

/** "backend ignores x-hexclave-access-type (answered ACCESS_TYPE_REQUIRED)" from the ignored-header findings. */
function ignoredHeadersReason(findings: readonly ReportFinding[]): string | null {
  const ignored = findings.filter(
    (f) => f.ruleId === 'client.new-headers-ignored' || f.ruleId === 'actual-status.override-ignored',
  );
  const names = unique(
    ignored.flatMap((f) => f.identifier?.names ?? []),
    4,
  );
  if (names.length === 0) return null;
  const codes = unique(
    ignored
      .filter((f) => f.ruleId === 'client.new-headers-ignored')
      .map((f) => f.actual.replace(/^known error /, '')),
  );
  return `backend ignores ${names.join(', ')}${codes.length ? ` (answered ${codes.join(', ')})` : ''}`;
}

/** A skipped scenario's summary may start "not checked — …"; an answer already says "not checked". */
function withoutMark(summary: string): string {
  return summary.replace(/^not checked — /, '');
}

function answerFrom(
  id: string,
  question: string,
  problems: readonly string[],
  notChecked: string | null = null,
): TestPlanAnswer {
  if (notChecked !== null) return { id, question, answer: 'not checked', reason: withoutMark(notChecked) };
  return problems.length === 0
    ? { id, question, answer: 'yes' }
    : { id, question, answer: 'no', reason: unique(problems, 2).join('; ') };
}

function byRule(findings: readonly ReportFinding[], prefixes: readonly string[]): string[] {
  return findings
    .filter((f) => f.severity === 'error' && prefixes.some((p) => f.ruleId.startsWith(p)))
    .map((f) => f.message);
}

function authProblems(
  scenarios: readonly ScenarioResult[],
  family: ProbeFamily,
  findings: readonly ReportFinding[],
): string[] {
  const failed = failures(
    scenarios,
    family,
    new Set(['sign-in', 'users-me', 'sign-up', 'project', 'preflight']),
  );
  if (failed.length === 0) return [];
  const reason = family === 'new' ? ignoredHeadersReason(findings) : null;
  return reason ? [reason] : failed.map((s) => `${s.title}: ${s.summary}`);
}

export function classify(
  scenarios: readonly ScenarioResult[],
  findings: readonly ReportFinding[],
  hexclaveSupportSeen: boolean,
): Verdict {
  const works = {
    old: failures(scenarios, 'old').length === 0,
    new: failures(scenarios, 'new').length === 0,
    mixed: failures(scenarios, 'mixed').length === 0,
  };
  const errors = findings.filter((f) => f.severity === 'error');
  const describeFailures = (family: ProbeFamily) =>
    failures(scenarios, family).map((s) => `${s.title} (${family} SDK): ${s.summary}`);
  let backendClass: BackendClass;
  let classReasons: string[];
  if (!works.old) {
    backendClass = 'broken';
    classReasons = ['an old SDK (x-stack-* only) does not work', ...unique(describeFailures('old'))];
  } else if (!works.new && !hexclaveSupportSeen) {
    backendClass = 'legacy';
    classReasons = [
      'an old SDK works; a new SDK (x-hexclave-* only) does not',
      ignoredHeadersReason(findings) ?? unique(describeFailures('new'))[0]!,
      'no x-hexclave-* name appears in any response or CORS list',
    ];
  } else if (!works.new || !works.mixed) {
    backendClass = 'broken';
    classReasons = [
      'the backend knows some hexclave names but does not serve every SDK generation',
      ...unique([...describeFailures('new'), ...describeFailures('mixed')]),
    ];
  } else if (errors.length > 0) {
    backendClass = 'broken';
    classReasons = [
      'old and new SDKs get through, but the dual layer is inconsistent',
      ...unique(
        errors.map((f) => f.message),
        5,
      ),
    ];
  } else {
    backendClass = 'dual';
    classReasons = ['old, new and mixed clients all work and no rule found an error'];
  }
  const notRun = (scenario: string): string | null =>
    scenarios.some((s) => s.scenario === scenario && s.status !== 'skipped')
      ? null
      : (scenarios.find((s) => s.scenario === scenario)?.summary ?? 'not exercised by this run');
  const failedOf = (prefix: string) =>
    scenarios
      .filter((s) => s.scenario.startsWith(prefix) && s.status === 'fail')
      .map((s) => `${s.title} (${s.family}): ${s.summary}`);
  // A family whose sign-in never ran (nobody to sign in) has not shown it can authenticate; a failure elsewhere
  // in its auth path still answers "no".
  const authNotChecked = (family: ProbeFamily): string | null => {
    if (authProblems(scenarios, family, findings).length > 0) return null;
    const signIn = scenarios.find((s) => s.scenario === 'sign-in' && s.family === family);
    return signIn?.status === 'skipped' ? signIn.summary : null;
  };
  const userScenariosSkipped = ['old', 'new', 'mixed'].every((family) =>
    scenarios.some((s) => s.scenario === 'sign-up' && s.family === family && s.status === 'skipped'),
  );
  if (userScenariosSkipped) {
    const summary = scenarios.find((s) => s.scenario === 'sign-up')?.summary ?? 'not run';
    classReasons.push(`sign-up, sign-in, users/me and refresh were not checked: ${withoutMark(summary)}`);
  }
  const answers = [
    answerFrom(
      'old-sdk-auth',
      'An old SDK (x-stack-* only) can authenticate',
      authProblems(scenarios, 'old', findings),
      authNotChecked('old'),
    ),
    answerFrom(
      'new-sdk-auth',
      'A new SDK (x-hexclave-* only) can authenticate',
      authProblems(scenarios, 'new', findings),
      authNotChecked('new'),
    ),
    answerFrom(
      'mixed-headers',
      'Mixed header sets in one request work',
      failures(scenarios, 'mixed').map((s) => `${s.title}: ${s.summary}`),
    ),
    answerFrom(
      'response-headers',
      'The backend emits both response-header families with equal values',
      byRule(findings, ['response-header.']),
    ),
    answerFrom(
      'known-errors',
      'Known errors and the status override work in both families',
      byRule(findings, ['known-error.', 'actual-status.']),
    ),
    answerFrom(
      'cors',
      'CORS allows both request-header families and exposes both response-header families',
      byRule(findings, ['cors.']),
    ),
    answerFrom(
      'tokens',
      'Access tokens verify against the project JWKS with an accepted issuer',
      byRule(findings, ['token.']),
      notRun('jwks') ?? notRun('sign-in'),
    ),
    answerFrom(
      'refresh',
      'Both refresh paths work for every SDK generation',
      failedOf('refresh'),
      notRun('refresh-header'),
    ),
    answerFrom(
      'oauth',
      'OAuth authorize honours both response-mode names and dual-writes its cookie',
      [...failedOf('oauth'), ...byRule(findings, ['cookie.', 'query-param.'])],
      notRun('oauth-authorize-json'),
    ),
    answerFrom(
      'server-keys',
      'Secret server keys work in both families',
      failedOf('server-users'),
      notRun('server-users'),
    ),
  ];
  return { backendClass, classReasons, works, answers };
}
