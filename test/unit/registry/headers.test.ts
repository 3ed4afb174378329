import { describe, expect, it } from 'vitest';
import {
  dualResponseHeaderNames,
  normalizeRequestHeaders,
  readDualResponseHeader,
  stripHexclaveRequestHeaders,
} from '../../../shared/registry/index.js';

describe('request header normalization (the dual backend’s proxy hook)', () => {
  it('copies hexclave values onto stack names and classifies a new SDK', () => {
    const result = normalizeRequestHeaders({
      'X-Hexclave-Project-Id': 'p1',
      'X-Hexclave-Access-Type': 'client',
    });
    expect(result.headers['x-stack-project-id']).toBe('p1');
    expect(result.headers['x-stack-access-type']).toBe('client');
    expect(result.family).toBe('new');
    expect(result.conflicts).toEqual([]);
  });

  it('classifies old, mixed and none', () => {
    expect(normalizeRequestHeaders({ 'x-stack-project-id': 'p1' }).family).toBe('old');
    expect(
      normalizeRequestHeaders({ 'x-stack-project-id': 'p1', 'x-hexclave-access-type': 'client' }).family,
    ).toBe('mixed');
    expect(normalizeRequestHeaders({ accept: '*/*' }).family).toBe('none');
  });

  it('lets the hexclave value win and reports a conflict when both families differ', () => {
    const result = normalizeRequestHeaders(
      new Headers({ 'x-stack-project-id': 'old-project', 'x-hexclave-project-id': 'new-project' }),
    );
    expect(result.headers['x-stack-project-id']).toBe('new-project');
    expect(result.conflicts).toEqual([
      {
        entryId: 'header.project-id',
        stackName: 'x-stack-project-id',
        hexclaveName: 'x-hexclave-project-id',
        stackValue: 'old-project',
        hexclaveValue: 'new-project',
      },
    ]);
  });

  it('does not report equal values in both families as a conflict', () => {
    expect(
      normalizeRequestHeaders({ 'x-stack-branch-id': 'main', 'x-hexclave-branch-id': 'main' }).conflicts,
    ).toEqual([]);
  });

  it('drops hexclave headers for a legacy backend', () => {
    expect(
      stripHexclaveRequestHeaders({ 'x-hexclave-project-id': 'p', 'x-stack-access-type': 'client' }),
    ).toEqual({
      'x-stack-access-type': 'client',
    });
  });
});

describe('dual-emitted response headers', () => {
  it('reads the hexclave name first, falls back to stack, and says which one answered', () => {
    expect(
      readDualResponseHeader({ 'x-stack-known-error': 'A', 'x-hexclave-known-error': 'B' }, 'known-error'),
    ).toEqual({
      value: 'B',
      source: 'hexclave',
    });
    expect(readDualResponseHeader({ 'X-Stack-Actual-Status': '401' }, 'x-hexclave-actual-status')).toEqual({
      value: '401',
      source: 'stack',
    });
    expect(readDualResponseHeader({}, 'header.request-id')).toEqual({ value: null, source: null });
  });

  it('produces both names for emitting', () => {
    expect(dualResponseHeaderNames('request-id')).toEqual(['x-stack-request-id', 'x-hexclave-request-id']);
    expect(() => dualResponseHeaderNames('x-stack-project-id')).toThrow(/not a dual-emitted response header/);
  });
});
