import { z } from 'zod';
import { CATEGORIES, POLICIES, SIDES } from '../registry/types.js';

export const IdentifierEntrySchema = z.object({
  id: z.string(),
  category: z.enum(CATEGORIES),
  concept: z.string(),
  old: z.string(),
  new: z.string().nullable(),
  oldAliases: z.array(z.string()).readonly().optional(),
  policy: z.enum(POLICIES),
  sides: z.array(z.enum(SIDES)).readonly(),
  specRef: z.string(),
  secret: z.boolean().optional(),
  securePrefix: z.literal('__Host-').optional(),
  envGroup: z.enum(['A', 'B', 'C', 'D', 'E']).optional(),
  shipped: z.string().optional(),
  planDifference: z.string().optional(),
  notes: z.string().optional(),
});

export const AppInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'serve']),
  /** Why the app runs in the browser instead of Electron, when it does. */
  modeReason: z.string().nullable(),
  identifierCount: z.number().int(),
});

/** Errors cross process boundaries by name, never by instanceof. */
export const ApiErrorSchema = z.object({ name: z.string(), message: z.string() });
