// @vitest-environment happy-dom
import type { Token } from 'marked';
import { describe, expect, it, vi } from 'vitest';
import { WARM_SAMPLE, warmWhenIdle, warmWith } from '../../../src/markdown/warm';

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
    const created: string[] = [];
    const createElementNS = vi.spyOn(document, 'createElementNS').mockImplementation(function (
      this: Document,
      ns: string | null,
      tag: string,
    ) {
      created.push(tag);
      return Document.prototype.createElementNS.call(this, ns, tag);
    } as typeof document.createElementNS);
    let seen: Set<string>;
    try {
      seen = types(warmWith(WARM_SAMPLE));
    } finally {
      createElementNS.mockRestore();
    }
    // Rendered for real (off the page), but nothing that would fetch.
    expect(created).toEqual(expect.arrayContaining(['table', 'pre', 'blockquote', 'a']));
    expect(created).not.toContain('img');
    expect(document.body.childElementCount).toBe(0);
    for (const type of [
      'heading',
      'paragraph',
      'list',
      'blockquote',
      'table',
      'code',
      'hr',
      'html',
      'def',
      'space',
      'em',
      'strong',
      'codespan',
      'del',
      'link',
      'escape',
      'text',
    ]) {
      expect(seen, type).toContain(type);
    }
  });

  it('runs one step per idle callback (no long task), the markdown ones once per page, and can be cancelled', () => {
    const queued: Array<() => void> = [];
    const idle = (callback: () => void) => {
      queued.push(callback);
      return () => queued.splice(queued.indexOf(callback), 1);
    };
    const cancel = warmWhenIdle([], idle);
    expect(queued).toHaveLength(1);
    queued.shift()!(); // the one-byte sample; the two-byte one is queued next
    expect(queued).toHaveLength(1);
    cancel();
    expect(queued).toHaveLength(0);
    // A later mount finishes what is left, then runs its own steps, one per callback.
    const more = vi.fn();
    warmWhenIdle([more], idle);
    expect(queued).toHaveLength(1);
    queued.shift()!();
    expect(more).not.toHaveBeenCalled();
    queued.shift()!();
    expect(more).toHaveBeenCalledOnce();
    expect(queued).toHaveLength(0);
    // The markdown steps never run twice.
    warmWhenIdle([], idle);
    expect(queued).toHaveLength(0);
  });
});
