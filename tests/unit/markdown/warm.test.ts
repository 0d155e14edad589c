import type { Token } from 'marked';
import { describe, expect, it } from 'vitest';
import { WARM_SAMPLE, warmMarkdownWhenIdle, warmWith } from '../../../src/markdown/warm';

/** Every token type (nested ones too) in `tokens`. */
function types(tokens: readonly Token[], into = new Set<string>()): Set<string> {
  for (const t of tokens) {
    into.add(t.type);
    if ('tokens' in t && Array.isArray(t.tokens)) types(t.tokens, into);
    if (t.type === 'list') for (const item of t.items) types(item.tokens, into);
    if (t.type === 'table') for (const cell of [...t.header, ...t.rows.flat()]) types(cell.tokens, into);
  }
  return into;
}

describe('markdown warm-up', () => {
  it('its sample takes the lexer and renderer through the block and inline rules an answer uses', () => {
    const seen = types(warmWith(WARM_SAMPLE));
    for (const type of ['heading', 'paragraph', 'list', 'blockquote', 'table', 'code', 'hr', 'html', 'def', 'space', 'em', 'strong', 'codespan', 'del', 'link', 'image', 'escape', 'text']) {
      expect(seen, type).toContain(type);
    }
  });

  it('runs one step per idle callback (no long task), once per page, and can be cancelled', () => {
    const queued: Array<() => void> = [];
    const idle = (callback: () => void) => {
      queued.push(callback);
      return () => queued.splice(queued.indexOf(callback), 1);
    };
    const cancel = warmMarkdownWhenIdle(idle);
    expect(queued).toHaveLength(1);
    queued.shift()!(); // the one-byte sample; the two-byte one is queued next
    expect(queued).toHaveLength(1);
    cancel();
    expect(queued).toHaveLength(0);
    // A later mount finishes what is left, then nothing more is ever scheduled.
    warmMarkdownWhenIdle(idle);
    expect(queued).toHaveLength(1);
    queued.shift()!();
    expect(queued).toHaveLength(0);
    warmMarkdownWhenIdle(idle);
    expect(queued).toHaveLength(0);
  });
});
