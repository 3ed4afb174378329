import type { Attribution, Exchange, Finding, Severity } from '../../shared/checker/index.js';
import { worstSeverity } from '../../shared/checker/index.js';

/** One forwarded exchange with its SDK family and the rules' findings: what the UI and MCP server read. */
export interface CapturedExchange {
  /** Increases by one per request, in arrival order. */
  readonly seq: number;
  readonly exchange: Exchange;
  readonly attribution: Attribution;
  readonly findings: readonly Finding[];
  readonly worst: Severity | null;
}

export type ExchangeListener = (captured: CapturedExchange) => void;

/** The last `capacity` exchanges, in arrival order, with change listeners. */
export class ExchangeStore {
  private items: CapturedExchange[] = [];
  private readonly listeners = new Set<ExchangeListener>();

  constructor(private readonly capacity: number) {}

  add(
    exchange: Exchange,
    seq: number,
    attribution: Attribution,
    findings: readonly Finding[],
  ): CapturedExchange {
    const captured: CapturedExchange = {
      seq,
      exchange,
      attribution,
      findings,
      worst: worstSeverity(findings),
    };
    const at = this.items.findLastIndex((item) => item.seq < seq);
    this.items.splice(at + 1, 0, captured);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(captured);
      } catch {
        // A failing listener (a UI that went away) must not stop the proxy or other listeners.
      }
    }
    return captured;
  }

  list(): CapturedExchange[] {
    return [...this.items];
  }

  get(id: string): CapturedExchange | undefined {
    return this.items.find((item) => item.exchange.id === id);
  }

  clear(): void {
    this.items = [];
  }

  subscribe(listener: ExchangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
