import { type EventPayload, type EventTopic, eventContract } from '../../shared/api/index.js';

type Listener = (topic: EventTopic, payload: unknown) => void;

/** In-process fan-out of typed events to every connected transport (IPC windows, WebSocket clients). */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  publish<T extends EventTopic>(topic: T, payload: EventPayload<T>): void {
    const checked = eventContract[topic].parse(payload);
    for (const listener of this.listeners) listener(topic, checked);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
