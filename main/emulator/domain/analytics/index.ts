/**
 * Analytics events the SDK's EventTracker sends (`$page-view`, `$click`, …). The emulator is not an analytics
 * store: it accepts each batch and counts it, per project, so the SDK stops logging "EventTracker flush failed
 * … 404" and a test or the UI can see that events arrived.
 */
export interface AnalyticsCounts {
  readonly batches: number;
  readonly events: number;
  /** Events by type (`$page-view`: 3). */
  readonly byType: Readonly<Record<string, number>>;
}

interface Counter {
  batches: number;
  events: number;
  byType: Map<string, number>;
}

const MAX_TYPES = 200;
/** Keyed by the emulator that counted (its context object), so two emulators in one process count apart. */
const counters = new WeakMap<object, Map<string, Counter>>();

function counterFor(emulator: object, projectId: string): Counter {
  let projects = counters.get(emulator);
  if (!projects) {
    projects = new Map();
    counters.set(emulator, projects);
  }
  let counter = projects.get(projectId);
  if (!counter) {
    counter = { batches: 0, events: 0, byType: new Map() };
    projects.set(projectId, counter);
  }
  return counter;
}

/** Count one batch; returns how many events it held. */
export function recordAnalyticsBatch(
  emulator: object,
  projectId: string,
  events: readonly { readonly event_type?: unknown }[],
): number {
  const counter = counterFor(emulator, projectId);
  counter.batches += 1;
  counter.events += events.length;
  for (const event of events) {
    const type = typeof event.event_type === 'string' ? event.event_type.slice(0, 100) : '(untyped)';
    if (!counter.byType.has(type) && counter.byType.size >= MAX_TYPES) continue;
    counter.byType.set(type, (counter.byType.get(type) ?? 0) + 1);
  }
  return events.length;
}

export function analyticsCounts(emulator: object, projectId: string): AnalyticsCounts {
  const counter = counterFor(emulator, projectId);
  return { batches: counter.batches, events: counter.events, byType: Object.fromEntries(counter.byType) };
}
