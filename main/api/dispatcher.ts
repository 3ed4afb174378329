import {
  type ApiMethod,
  type ApiOutput,
  type ApiParsedInput,
  apiContract,
  isApiMethod,
} from '../../shared/api/index.js';
import { PROJECT_FIELD_LABELS, withFieldLabels } from '../../shared/project-fields.js';

export type ApiHandlers = {
  [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>>;
};

/** An error safe to show the caller: its name and message cross the transport. */
export class ApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message };
  return { name: 'Error', message: String(error) };
}

export type Dispatch = (method: string, rawInput: unknown) => Promise<unknown>;

/** A field as the user knows it: the form's label, not the contract's property path. */
function fieldName(path: readonly PropertyKey[]): string {
  const key = String(path.at(-1) ?? '');
  if (key in PROJECT_FIELD_LABELS) return PROJECT_FIELD_LABELS[key as keyof typeof PROJECT_FIELD_LABELS];
  return path.length ? path.join(' › ') : 'The request';
}

/**
 * Validate the method name and its input against the shared contract, then run the handler. Everything that
 * comes back is for the app's screens: invalid input names the field by its label, and a message written for the
 * terminal has its CLI flags replaced by those labels (`Check --api-url` → `Check the API URL`).
 */
export function createDispatcher(handlers: ApiHandlers): Dispatch {
  return async (method, rawInput) => {
    if (!isApiMethod(method)) {
      throw new ApiError('UnknownMethod', `"${method}" is not a method of the companion API.`);
    }
    const parsed = apiContract[method].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${fieldName(i.path)}: ${i.message}`).join('; ');
      throw new ApiError('InvalidInput', issues);
    }
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    try {
      return await handler(parsed.data);
    } catch (error) {
      if (error instanceof Error) error.message = withFieldLabels(error.message);
      throw error;
    }
  };
}
