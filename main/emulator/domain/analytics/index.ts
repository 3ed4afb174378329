import type { EmulatorContext } from '../../context.js';

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
const counters = new WeakMap<EmulatorContext, Map<string, Counter>>();

function counterFor(ctx: EmulatorContext, projectId: string): Counter {
  let projects = counters.get(ctx);
  if (!projects) {
    projects = new Map();
    counters.set(ctx, projects);
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
  ctx: EmulatorContext,
  projectId: string,
  events: readonly { readonly event_type?: unknown }[],
): number {
  const counter = counterFor(ctx, projectId);
  counter.batches += 1;
  counter.events += events.length;
  for (const event of events) {
    const type = typeof event.event_type === 'string' ? event.event_type.slice(0, 100) : '(untyped)';
    if (!counter.byType.has(type) && counter.byType.size >= MAX_TYPES) continue;
    counter.byType.set(type, (counter.byType.get(type) ?? 0) + 1);
  }
  return events.length;
}

export function analyticsCounts(ctx: EmulatorContext, projectId: string): AnalyticsCounts {
  const counter = counterFor(ctx, projectId);
  return { batches: counter.batches, events: counter.events, byType: Object.fromEntries(counter.byType) };
}
