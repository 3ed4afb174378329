import { type Family, identifier, type ParsedCookieName, parseCookieName } from '../../registry/index.js';
import { isDeletion, requestLine, type SetCookie, sentCookiesOf, setCookiesOf } from '../exchange.js';
import { finding, identifierRef, missingNewSeverity, shown } from '../finding.js';
import type { CheckContext, Exchange, Finding } from '../types.js';

const HOST_PREFIX = '__Host-';
/** Max-Age/Expires of twins written in one response may differ by clock rounding, not more. */
const LIFETIME_SLACK_MS = 5_000;

interface Recognised<T> {
  readonly parsed: ParsedCookieName;
  readonly item: T;
}

/** Same concept, same parameters, either family: the key two twins share. */
export function twinKey(parsed: ParsedCookieName): string {
  return [parsed.kind, parsed.projectId ?? '', parsed.customDomain ?? '', parsed.state ?? ''].join('|');
}

function groupTwins<T>(items: readonly T[], nameOf: (item: T) => string): Map<string, Recognised<T>[]> {
  const groups = new Map<string, Recognised<T>[]>();
  for (const item of items) {
    const parsed = parseCookieName(nameOf(item));
    if (!parsed) continue;
    const key = twinKey(parsed);
    groups.set(key, [...(groups.get(key) ?? []), { parsed, item }]);
  }
  return groups;
}

/** Per-flow state makes every name unique; messages use `{state}` so one finding covers every flow. */
function displayName(name: string): string {
  const state = parseCookieName(name)?.state;
  return state ? name.replace(state, '{state}') : name;
}

function lifetime(cookie: SetCookie, now: number): number | null {
  if (cookie.maxAge !== undefined) return now + cookie.maxAge * 1000;
  return cookie.expires ?? null;
}

function attributeDifferences(a: SetCookie, b: SetCookie, now: number): string[] {
  const diffs: string[] = [];
  const compare = (label: string, x: unknown, y: unknown) => {
    if (x !== y) diffs.push(`${label}: ${String(x ?? '(unset)')} vs ${String(y ?? '(unset)')}`);
  };
  compare('Secure', a.secure, b.secure);
  compare('HttpOnly', a.httpOnly, b.httpOnly);
  compare('SameSite', a.sameSite, b.sameSite);
  compare('Path', a.path, b.path);
  compare('Domain', a.domain, b.domain);
  compare('Partitioned', a.partitioned, b.partitioned);
  compare('__Host- prefix', a.name.startsWith(HOST_PREFIX), b.name.startsWith(HOST_PREFIX));
  const la = lifetime(a, now);
  const lb = lifetime(b, now);
  if (
    (la === null) !== (lb === null) ||
    (la !== null && lb !== null && Math.abs(la - lb) > LIFETIME_SLACK_MS)
  ) {
    diffs.push(
      `Max-Age/Expires: ${a.maxAge ?? a.expires ?? 'session'} vs ${b.maxAge ?? b.expires ?? 'session'}`,
    );
  }
  return diffs;
}

function checkHostPrefix(cookie: SetCookie, exchange: Exchange): Finding | null {
  if (!cookie.name.startsWith(HOST_PREFIX)) return null;
  const problems = [
    cookie.secure ? null : 'no Secure',
    cookie.domain ? `Domain=${cookie.domain}` : null,
    cookie.path === '/' ? null : `Path=${cookie.path ?? '(unset)'}`,
  ].filter(Boolean);
  if (problems.length === 0) return null;
  const parsed = parseCookieName(cookie.name);
  return finding(
    'cookie.host-prefix-invalid',
    {
      severity: 'error',
      identifier: parsed ? identifierRef(parsed.entryId, [cookie.name]) : null,
      message: `${cookie.name} has ${problems.join(', ')}; browsers reject __Host- cookies like that.`,
      expected: '__Host- cookies with Secure, Path=/ and no Domain',
      actual: problems.join(', '),
      evidence: requestLine(exchange),
    },
    exchange.id,
  );
}

/** Set-Cookie of dual-write cookies: both families, equal values, consistent attributes; valid __Host-. */
function checkSetCookies(exchange: Exchange, ctx: CheckContext): Finding[] {
  const now = (ctx.now ?? Date.now)();
  const cookies = setCookiesOf(exchange);
  const out: Finding[] = cookies.flatMap((c) => checkHostPrefix(c, exchange) ?? []);
  for (const group of groupTwins(cookies, (c) => c.name).values()) {
    const entry = identifier(group[0]!.parsed.entryId);
    if (entry.policy !== 'dual-write-read-new-first' || entry.new === null) continue;
    const byFamily = new Map<Family, SetCookie>(group.map((g) => [g.parsed.family, g.item]));
    const stack = byFamily.get('stack');
    const hexclave = byFamily.get('hexclave');
    const names = group.map((g) => g.item.name);
    const evidence = `${requestLine(exchange)}; Set-Cookie: ${group.map((g) => `${g.item.name}=${shown(g.item.value, entry.secret)}`).join('; ')}`;
    if (!stack || !hexclave) {
      const present = (stack ?? hexclave)!;
      const missingFamily: Family = stack ? 'hexclave' : 'stack';
      const verb = isDeletion(present, now) ? 'deleted' : 'set';
      out.push(
        finding(
          'cookie.twin-missing',
          {
            severity: missingFamily === 'hexclave' ? missingNewSeverity(ctx.expectedMode) : 'error',
            identifier: identifierRef(entry, names),
            message: `The response ${verb} ${displayName(present.name)} but not its ${missingFamily} twin (policy ${entry.policy}).`,
            expected: `both ${entry.old} and ${entry.new} ${verb}`,
            actual: `only ${displayName(present.name)}`,
            evidence,
          },
          exchange.id,
        ),
      );
      continue;
    }
    if (stack.value !== hexclave.value) {
      out.push(
        finding(
          'cookie.twin-value-differs',
          {
            severity: 'error',
            identifier: identifierRef(entry, names),
            message: `${displayName(stack.name)} and ${displayName(hexclave.name)} were set to different values.`,
            expected: 'equal values',
            actual: `${shown(stack.value, entry.secret)} vs ${shown(hexclave.value, entry.secret)}`,
            evidence,
          },
          exchange.id,
        ),
      );
    }
    const diffs = attributeDifferences(stack, hexclave, now);
    if (diffs.length > 0) {
      out.push(
        finding(
          'cookie.twin-attributes-differ',
          {
            severity: 'error',
            identifier: identifierRef(entry, names),
            message: `${displayName(stack.name)} and ${displayName(hexclave.name)} differ in ${diffs.map((d) => d.split(':')[0]).join(', ')}.`,
            expected: 'identical Secure, HttpOnly, SameSite, Path, Domain, Max-Age and __Host- prefix',
            actual: diffs.join('; '),
            evidence,
          },
          exchange.id,
        ),
      );
    }
  }
  return out;
}

/** Cookies a client sent: twins that disagree mean two readers see two different states. */
function checkSentCookies(exchange: Exchange): Finding[] {
  const sent = [...sentCookiesOf(exchange)].map(([name, value]) => ({ name, value }));
  const out: Finding[] = [];
  for (const group of groupTwins(sent, (c) => c.name).values()) {
    const stack = group.find((g) => g.parsed.family === 'stack')?.item;
    const hexclave = group.find((g) => g.parsed.family === 'hexclave')?.item;
    if (!stack || !hexclave || stack.value === hexclave.value) continue;
    const entry = identifier(group[0]!.parsed.entryId);
    out.push(
      finding(
        'cookie.sent-conflict',
        {
          severity: 'warning',
          identifier: identifierRef(entry, [stack.name, hexclave.name]),
          message: `The client sent ${stack.name} and ${hexclave.name} with different values; new readers use the hexclave one, old readers the stack one.`,
          expected: 'equal values, or one family only',
          actual: `${shown(stack.value, entry.secret)} vs ${shown(hexclave.value, entry.secret)}`,
          evidence: requestLine(exchange),
        },
        exchange.id,
      ),
    );
  }
  return out;
}

export function checkCookies(exchange: Exchange, ctx: CheckContext): Finding[] {
  return [...(exchange.response ? checkSetCookies(exchange, ctx) : []), ...checkSentCookies(exchange)];
}
