/** Display formatting shared by every screen: numbers, durations, clock times and relative times. */

const numberFormat = new Intl.NumberFormat('en-US');

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return numberFormat.format(Math.round(value));
}

/** A backlog's rows: "at least" when a count stopped at its limit (shared/sync/backlog.ts). */
export function formatBacklog(backlog: { readonly rows: number; readonly atLeast: boolean }): string {
  return `${backlog.atLeast ? '≥ ' : ''}${formatNumber(backlog.rows)}`;
}

export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined) return '—';
  return perSecond > 0 && perSecond < 10 ? `${perSecond.toFixed(1)}/s` : `${formatNumber(perSecond)}/s`;
}

/** 12 ms, 1.4 s, 3 min 5 s, 2 h 10 min. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return formatSeconds(ms / 1000);
}

export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
}

// Formatters are built once: toLocaleTimeString builds a new one per call, which shows when a list of
// thousands scrolls.
const clockFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const dateFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });

export function formatClock(at: number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  return clockFormat.format(at);
}

export function formatDateTime(at: number): string {
  return `${dateFormat.format(at)} ${clockFormat.format(at)}`;
}

/** "in 4 min" / "3 s ago", for a signed number of seconds from now. */
export function formatRelativeSeconds(secondsFromNow: number): string {
  const span = formatSeconds(Math.abs(secondsFromNow)).replace(/\.0 s$/, ' s');
  return secondsFromNow >= 0 ? `in ${span}` : `${span} ago`;
}

export function formatAgo(at: number | null | undefined, now = Date.now()): string {
  if (at === null || at === undefined) return '—';
  return formatRelativeSeconds((at - now) / 1000);
}

/** "1 error", "2 errors": a count and its noun (plural by -s). */
export function formatCount(count: number, noun: string): string {
  return `${formatNumber(count)} ${count === 1 ? noun : `${noun}s`}`;
}
