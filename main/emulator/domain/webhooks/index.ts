/**
 * Webhooks: the events upstream sends through Svix (users, teams, memberships, permissions), recorded as Svix
 * messages in the emulator's database by the domain code that makes each change, delivered to the project's
 * endpoints with Svix's signature headers, and read back through the Svix-compatible API.
 */
export { WebhookDeliverer } from './deliverer.js';
export type { NewMessage, WebhookEventType } from './events.js';
export { fireWebhook, recordMessage, WEBHOOK_CHANNEL } from './events.js';
export { signatureHeaders } from './signature.js';
export type { Attempt, Endpoint, EndpointWrite, Message, Page, PageRequest } from './store.js';
export {
  AttemptStatus,
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  findMessage,
  issueToken,
  listAttempts,
  listEndpoints,
  listMessages,
  projectForToken,
  queueResend,
  updateEndpoint,
} from './store.js';
