import { describe, expect, it } from 'vitest';
import { argumentSkeleton, parseArguments } from '../../../renderer/src/lib/json-skeleton.js';

describe('MCP tool arguments', () => {
  it('start from every required field with its default or an empty value of its type', () => {
    const schema = {
      type: 'object',
      properties: {
        question: { type: 'string' },
        limit: { type: 'integer', default: 10 },
        by: { type: 'string', enum: ['auto', 'id'] },
        verify: { type: 'boolean' },
        reason: { type: 'string' },
      },
      required: ['question', 'limit', 'by', 'verify'],
      additionalProperties: false,
    };
    expect(argumentSkeleton(schema)).toEqual({ question: '', limit: 10, by: 'auto', verify: false });
    expect(argumentSkeleton({ type: 'object', properties: {} })).toEqual({});
  });

  it('parse as a JSON object, or say why not', () => {
    expect(parseArguments('{"question":"hi"}')).toEqual({ value: { question: 'hi' } });
    expect(parseArguments('  ')).toEqual({ value: {} });
    expect(parseArguments('[1]')).toEqual({
      error: 'The arguments must be a JSON object, e.g. {"question": "…"}.',
    });
    expect(parseArguments('{oops')).toMatchObject({ error: expect.stringMatching(/^Not valid JSON: /) });
  });
});
