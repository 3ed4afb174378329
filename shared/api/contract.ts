import { z } from 'zod';
import { CATEGORIES, POLICIES } from '../registry/types.js';
import { AppInfoSchema, IdentifierEntrySchema } from './schemas.js';

/**
 * The one typed API between the renderer and main. Every call is validated with zod on the main side; the same
 * contract is carried by Electron IPC (desktop) and by HTTP + WebSocket (serve mode). Later capabilities add
 * calls and events here; transports never change.
 */
export const apiContract = {
  'app.info': {
    input: z.object({}),
    output: AppInfoSchema,
  },
  'registry.search': {
    input: z.object({
      query: z.string().max(300).default(''),
      category: z.enum(CATEGORIES).optional(),
      policy: z.enum(POLICIES).optional(),
    }),
    output: z.object({ total: z.number().int(), entries: z.array(IdentifierEntrySchema) }),
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

/** Server-pushed events: topic → payload schema. */
export const eventContract = {
  'app.log': z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), at: z.number() }),
} as const satisfies Record<string, z.ZodType>;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiContract[M]['output']>;
export type EventTopic = keyof typeof eventContract;
export type EventPayload<T extends EventTopic> = z.output<(typeof eventContract)[T]>;

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiContract, name);
}

export function isEventTopic(name: string): name is EventTopic {
  return Object.hasOwn(eventContract, name);
}
