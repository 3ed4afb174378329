import { describe, expect, it } from 'vitest';
import { findIdentifierMentions } from '../../../shared/registry/index.js';

const ids = (text: string) => findIdentifierMentions(text).map((m) => m.entry.id);

describe('identifier mentions in free text', () => {
  it('finds exact names of either family, headers case-insensitively, despite punctuation', () => {
    expect(ids('Why does X-Hexclave-Project-Id fail, and is `x-stack-access-token` still read?')).toEqual([
      'header.project-id',
      'header.access-token',
    ]);
  });

  it('finds concrete instances of templated names with their parameters', () => {
    const [mention] = findIdentifierMentions('Is STACK_EMAIL_HOST=smtp.example.com still read?');
    expect(mention).toMatchObject({ family: 'stack', params: { suffix: 'HOST' }, placeholder: false });
    expect(mention?.entry.id).toBe('env.STACK_EMAIL_{suffix}');
  });

  it('understands placeholders such as <id> and the __Host- prefix', () => {
    const [mention] = findIdentifierMentions('where is __Host-hexclave-refresh-<id>--default?');
    expect(mention).toMatchObject({ family: 'hexclave', params: { projectId: '<id>' }, placeholder: true });
    expect(mention?.entry.id).toBe('cookie.refresh-default');
  });

  it('ignores bare words like stack or hexclave unless they are quoted as code', () => {
    expect(ids('what is the stack behind hexclave')).toEqual([]);
    expect(ids('what does the `hexclave` binary do')).toEqual(['cli.binary']);
  });

  it('reports each entry once, in order of first appearance', () => {
    expect(ids('x-stack-project-id vs x-hexclave-project-id vs STACK_PROJECT_ID')).toEqual([
      'header.project-id',
      'env.STACK_PROJECT_ID',
    ]);
  });
});
