type Listener = (payload: unknown) => void;

/** Subscriptions for `on(event, cb)`; a throwing listener never stops the others or the overlay. */
export class Emitter<E extends string> {
  private readonly listeners = new Map<E, Set<Listener>>();

  on(event: E, listener: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => {
      set.delete(listener);
    };
  }

  has(event: E): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit(event: E, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error('[Hexclave dev tool] a listener threw', error);
      }
    }
  }
}
