import type { SyncMapping } from '../../../shared/sync/index.js';
import type { ApplierDeps } from './applier.js';
import {
  type FreshKeys,
  type FreshSource,
  freshKeysAlsoIn,
  freshKeysWithout,
  keysMaybeInPage,
  mergeFreshKeys,
  readFresh,
} from './fresh.js';
import { sideUpsertSql } from './merge-sql.js';
import { StageSession } from './prefetch.js';

/** A page that is merging, and what the side session needs to know to work beside it. */
export interface SideWindow {
  readonly scope: string;
  readonly mapping: SyncMapping;
  readonly fresh: FreshSource;
  /** The page as it was staged (COPY text). */
  readonly pageText: Buffer;
  /** Keys staged beside the page's rows (read again for it): the merge writes them too. */
  readonly restaged: FreshKeys | null;
  /** After each side write: the keys written, and the transaction id the side-writes row now carries. */
  readonly applied: (keys: FreshKeys, sideXid: string) => void;
}

/** What the side session did beside a page: the keys it left to the page (it may hold them), rows it changed. */
export interface SideOutcome {
  readonly leftover: FreshKeys | null;
  readonly upserted: number;
}

/**
 * A lane's third target session. A row named by a notification while a page merges used to wait for that merge
 * (half of one on average, most of the 16 ms p50 latency at a million users) and then cost the page two round trips.
 * While the page holds its mapping's progress row, the side session applies at once the named keys the page cannot
 * hold, each batch in a statement of its own, and every one of them has committed before the page commits:
 * - the page cannot land over them: their values do not occur in its text, nor are they among the keys staged beside
 *   it (which the merge writes, and waiting on its row locks from here would never end: the page waits for us);
 * - the page read ahead meanwhile may be older: its keys are marked touched and read again when it is used;
 * - any engine's page read ahead before them is dropped when its lock finds the side-writes row changed, even if the
 *   page beside them is rolled back (the progress row then stays as it was);
 * - a page or engine after them reads the source after they did.
 * Keys the page may hold are left to it (applied after its merge, in its transaction, as before).
 */
export class SideWriter {
  private window: SideWindow | null = null;
  private leftover: FreshKeys | null = null;
  private upserted = 0;
  private busy = false;
  private running: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  /** The session's staging tables: their row type reads the JSON rows. */
  private readonly stage: StageSession;
  /** Mappings whose side writes waited on a lock (see `write`): their named rows ride with the page again. */
  private readonly givenWay = new Set<string>();

  constructor(private readonly deps: ApplierDeps) {
    this.stage = new StageSession(deps.target);
  }

  /** Start working beside a page: keys already waiting are taken at once. */
  open(window: SideWindow): void {
    this.window = window;
    this.failure = null;
    this.named(window.scope, window.mapping.name);
  }

  /** Rows of (scope, mapping) were named: take them now if a page of it is merging. */
  named(scope: string, mapping: string): void {
    const window = this.window;
    if (!window || this.busy || this.failure !== null) return;
    if (window.scope !== scope || window.mapping.name !== mapping || this.givenWay.has(mapping)) return;
    this.busy = true;
    this.running = this.drain(window);
  }

  /**
   * Stop taking keys, wait for the write under way; a failed write fails the page (its session is then renewed).
   * Nothing when no window was open.
   */
  async close(): Promise<SideOutcome> {
    this.window = null;
    await this.running;
    const outcome = { leftover: this.leftover, upserted: this.upserted };
    this.leftover = null;
    this.upserted = 0;
    if (this.failure !== null) throw this.failure;
    return outcome;
  }

  private async drain(window: SideWindow): Promise<void> {
    try {
      while (this.window === window) {
        const keys = window.fresh.take();
        if (!keys) break;
        const inPage = keysInPage(window, keys);
        if (inPage) this.leftover = mergeFreshKeys(this.leftover ?? undefined, inPage);
        const away = freshKeysWithout(keys, inPage);
        if (away && !(await this.write(window, away))) break;
      }
    } catch (error) {
      this.failure = error;
    } finally {
      // Cleared in the same turn that took no keys: a notification arriving next starts a new drain.
      this.busy = false;
    }
  }

  /**
   * Apply `keys` beside the page. False when the write waited on a lock and gave way (nothing written): something
   * serialises this table's writes behind the page (a developer's trigger that counts rows in one row of its own
   * did, in our tests), so the keys go back to the page and the mapping's named rows ride with its pages from now on.
   */
  private async write(window: SideWindow, keys: FreshKeys): Promise<boolean> {
    const started = performance.now();
    const { mapping, scope } = window;
    await this.stage.ensureStage(mapping);
    const rows = await readFresh(this.deps, mapping, scope, keys);
    let result: { upserted: number; side_xid: string }[];
    try {
      ({ rows: result } = await this.deps.target.query<{ upserted: number; side_xid: string }>({
        name: `hexclave_sync_side_upsert_${mapping.name}`,
        text: sideUpsertSql(mapping, this.deps.schema),
        values: [rows, scope],
      }));
    } catch (error) {
      // 55P03: lock_timeout (SIDE_SESSION).
      if ((error as { code?: string }).code !== '55P03') throw error;
      this.givenWay.add(mapping.name);
      this.leftover = mergeFreshKeys(this.leftover ?? undefined, keys);
      return false;
    }
    this.upserted += result[0]!.upserted;
    window.applied(keys, result[0]!.side_xid);
    this.deps.clock.add('side', performance.now() - started, keys.keys.length);
    return true;
  }
}

/** The keys the merging page may write: those its text may hold, and those staged beside it. */
function keysInPage(window: SideWindow, keys: FreshKeys): FreshKeys | null {
  const maybe = keysMaybeInPage(window.mapping, keys, window.pageText);
  const beside = freshKeysAlsoIn(keys, window.restaged);
  return beside ? mergeFreshKeys(maybe ?? undefined, beside) : maybe;
}
