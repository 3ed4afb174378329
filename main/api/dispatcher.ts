import {
  type ApiMethod,
  type ApiOutput,
  type ApiParsedInput,
  apiContract,
  isApiMethod,
} from '../../shared/api/index.js';

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

/** Validate the method name and its input against the shared contract, then run the handler. */
export function createDispatcher(handlers: ApiHandlers): Dispatch {
  return async (method, rawInput) => {
    if (!isApiMethod(method)) {
      throw new ApiError('UnknownMethod', `"${method}" is not a method of the companion API.`);
    }
    const parsed = apiContract[method].input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
        .join('; ');
      throw new ApiError('InvalidInput', `Invalid input for ${method}: ${issues}`);
    }
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return handler(parsed.data);
  };
}
