/**
 * A starting point for a tool's JSON arguments, from its input JSON Schema: every required field with its default
 * or an empty value of its type. Optional fields are left out (the schema below the editor lists them).
 */
export function argumentSkeleton(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<
    string,
    { type?: unknown; default?: unknown; enum?: unknown[] }
  >;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const skeleton: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(properties)) {
    if (!required.has(name)) continue;
    if (field.default !== undefined) skeleton[name] = field.default;
    else if (Array.isArray(field.enum) && field.enum.length > 0) skeleton[name] = field.enum[0];
    else skeleton[name] = emptyOf(field.type);
  }
  return skeleton;
}

function emptyOf(type: unknown): unknown {
  switch (Array.isArray(type) ? type[0] : type) {
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return '';
  }
}

/** Arguments as typed by the user: a JSON object, or the reason it is not one. */
export function parseArguments(text: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { error: 'The arguments must be a JSON object, e.g. {"question": "…"}.' };
    }
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
}
