import type { ApiInput, ApiMethod, ApiOutput, EventPayload, EventTopic } from './contract.js';

/** What a transport (Electron IPC or HTTP/WebSocket) has to provide; both carry the same untyped messages. */
export interface ApiTransport {
  call(method: string, input: unknown): Promise<unknown>;
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
}

/** An error returned by main, rebuilt on this side with its original name. */
export class ApiCallError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<T extends EventTopic>(topic: T, listener: (payload: EventPayload<T>) => void): () => void;
}

export function createApiClient(transport: ApiTransport): ApiClient {
  return {
    call: (method, input) => transport.call(method, input) as Promise<never>,
    on: (topic, listener) => transport.subscribe(topic, listener as (payload: unknown) => void),
  };
}
