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

/** The secrets a project may hold; the renderer only ever sees whether each one is set. */
export const PROJECT_SECRET_NAMES = [
  'secretServerKey',
  'superSecretAdminKey',
  'internalDatabaseUrl',
  'mirrorDatabaseUrl',
] as const;
export type ProjectSecretName = (typeof PROJECT_SECRET_NAMES)[number];

export const ProjectSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['emulator', 'connected']),
  apiUrl: z.string().nullable(),
  projectId: z.string().nullable(),
  publishableClientKey: z.string().nullable(),
  folder: z.string().nullable(),
  /** Where the mirror's rows come from. */
  syncSource: z.enum(['emulator', 'internal-database', 'api', 'none']),
  mirror: z.enum(['embedded', 'external']),
  secrets: z.object(
    Object.fromEntries(PROJECT_SECRET_NAMES.map((n) => [n, z.boolean()])) as Record<
      ProjectSecretName,
      z.ZodBoolean
    >,
  ),
  createdAt: z.number(),
});
export type ProjectSummary = z.output<typeof ProjectSummarySchema>;

const optionalText = z.string().trim().min(1).optional();

export const ConnectedProjectInputSchema = z.object({
  kind: z.literal('connected'),
  name: optionalText,
  /** A project folder: its .env files and config file fill in whatever is not given by hand. */
  folder: optionalText,
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
  projectId: optionalText,
  publishableClientKey: optionalText,
  secretServerKey: optionalText,
  superSecretAdminKey: optionalText,
  internalDatabaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  mirrorDatabaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
});

export const CreateProjectInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('emulator'),
    name: optionalText,
    /** Demo users the emulator creates on first start (set-based, idempotent). */
    seedUsers: z.number().int().min(0).max(1_000_000).optional(),
  }),
  ConnectedProjectInputSchema,
]);
export type CreateProjectInput = z.output<typeof CreateProjectInputSchema>;
