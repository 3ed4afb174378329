export type { ApiHandlers, Dispatch, SerializedError } from './dispatcher.js';
export { ApiError, createDispatcher, serializeError } from './dispatcher.js';
export { EventBus } from './events.js';
export type { AppContext } from './handlers/index.js';
export { createHandlers } from './handlers/index.js';
