import { Lexer, type Links, type Token } from 'marked';

/** The top-level tokens of a text: `done` ones never change again, `tail` is re-lexed on every update. */
export interface Blocks {
  done: readonly Token[];
  tail: readonly Token[];
}

/**
 * Lex with fresh options every time: `new Lexer()` without options would use
 * marked's global defaults, which another `marked.use()` on the host page
 * could have changed. `breaks` matches Dify's own renderer (remark-breaks):
 * models write single newlines meaning line breaks. `silent` makes marked log
 * instead of throw on a tokenizer loop, since model output must never crash
 * the chat.
 */
function lex(src: string, links: Links): Token[] & { links: Links } {
  const lexer = new Lexer({ gfm: true, breaks: true, silent: true });
  // Definitions from finished blocks, so references in the tail resolve the
  // way a full lex would resolve them (marked reads `tokens.links` while lexing).
  Object.assign(lexer.tokens.links, links);
  try {
    return lexer.lex(src);
  } catch {
    // A lexer bug must not take the chat down: show the source as text (an unknown token type does that).
    return Object.assign([{ type: 'raw', raw: src }], { links: lexer.tokens.links });
  }
}

/** Add the `def` tokens in `tokens` (blockquotes and list items may hold them too) to `into`; the first wins, as in marked. */
function collectDefs(tokens: readonly Token[], into: Links): void {
  for (const t of tokens) {
    if (t.type === 'def') into[t.tag] ??= { href: t.href, title: t.title };
    else if (t.type === 'blockquote' || t.type === 'list_item') collectDefs(t.tokens ?? [], into);
    else if (t.type === 'list') collectDefs(t.items, into);
  }
}

/** A prototype-less map, so a definition labelled `[constructor]` is not mistaken for an inherited key. */
const dict = (): Links => Object.create(null);

function sameLinks(a: Links, b: Links): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => b[k] !== undefined && a[k]!.href === b[k].href && a[k]!.title === b[k].title)
  );
}

/** A blank line right before `end`: after it no block can still continue, except ones that swallow it whole (fences, HTML, lists, indented code), which the lexer then returns as one token. */
const BLANK_BEFORE = /\n[ \t]*\n$/;

/**
 * Splits a growing text into top-level blocks, lexing incrementally so the cost
 * of one streamed token does not grow with the length of the answer
 * (docs/ARCHITECTURE.md §3 markdown/).
 *
 * It keeps the finished tokens and the offset where the unfinished tail
 * starts. On an append it lexes only the tail (with the definitions found so
 * far), then moves into `done` every tail block that is followed by a blank
 * line and a later block whose first line is complete. The last block stays
 * unfinished: it can still change type (a paragraph becoming a table or a
 * setext heading, a fence or list still open). Tail tokens whose source did
 * not change keep their identity, so they do not re-render either. Any other
 * change (message_replace) starts over. So does a new or changed link
 * reference definition, since it can turn `[x]` in a finished block into a
 * link. Tests check every step of many streamed documents against a full lex.
 */
export class BlockCache {
  private src = '';
  private done: Token[] = [];
  /** Offset in `src` where the unfinished tail starts. */
  private doneLen = 0;
  /** Definitions found in `done`. */
  private doneLinks = dict();
  /** Definitions of the whole text at the last update, which `done` was lexed with. */
  private links = dict();
  private last: Blocks = { done: [], tail: [] };
  /** Characters lexed so far; lets tests prove the work per update stays flat. */
  lexed = 0;

  /** Bring the blocks up to date with `input` (normally the previous text plus what just streamed in). */
  update(input: string): Blocks {
    const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
    if (text === this.src) return this.last;
    // Not `startsWith`: V8 compares char by char there, 100x slower than `===`
    // on a slice, which made this O(n) check the main cost of a long answer.
    if (text.slice(0, this.src.length) !== this.src) this.reset();
    this.src = text;

    let tail = this.lexTail();
    if (!sameLinks(tail.links, this.links)) {
      // A new or changed definition can make `[x]` anywhere a link (or not):
      // start over, and reuse no token lexed with the old definitions.
      const partial = this.doneLen > 0;
      this.reset();
      this.src = text;
      if (partial) tail = this.lexTail();
      this.links = tail.links;
    }

    // Tokens with the same raw as last time, in the same context, are the
    // same: keep the old objects so their Blocks skip rendering.
    const prev = this.last.tail;
    const tokens: Token[] = tail.slice();
    for (let i = 0; i < prev.length && i < tokens.length && prev[i]!.raw === tokens[i]!.raw; i++) tokens[i] = prev[i]!;

    // Cut at the latest block start, no later than the last real block,
    // that follows a blank line and whose first line is complete (until
    // then `1` may still become `1. item` and continue a list above).
    // Everything before the cut is finished.
    let cut = 0;
    let cutLen = 0;
    let pos = 0;
    const rest = text.slice(this.doneLen);
    let lastBlock = tokens.length - 1;
    while (lastBlock > 0 && tokens[lastBlock]!.type === 'space') lastBlock--;
    for (let i = 0; i < tokens.length; i++) {
      if (
        i > 0 &&
        i <= lastBlock &&
        tokens[i]!.type !== 'space' &&
        BLANK_BEFORE.test(rest.slice(Math.max(0, pos - 64), pos)) &&
        rest.includes('\n', pos)
      ) {
        cut = i;
        cutLen = pos;
      }
      pos += tokens[i]!.raw.length;
    }
    // Offsets are only trustworthy if the raws add up to the source; if a
    // marked quirk ever breaks that, keep everything unfinished (correct, just slower).
    if (pos !== rest.length) cut = cutLen = 0;

    const finished = tokens.slice(0, cut);
    collectDefs(finished, this.doneLinks);
    this.done.push(...finished);
    this.doneLen += cutLen;
    return (this.last = { done: this.done.slice(), tail: tokens.slice(cut) });
  }

  private lexTail() {
    // A string of its own: token raws are slices of what we lex, and in V8 a
    // slice keeps its parent alive, so each finished block would pin the
    // whole answer as it was at that moment (60 MB for a 100 KB answer).
    const src = ` ${this.src.slice(this.doneLen)}`.slice(1);
    this.lexed += src.length;
    return lex(src, this.doneLinks);
  }

  private reset(): void {
    this.src = '';
    this.done = [];
    this.doneLen = 0;
    this.doneLinks = dict();
    this.links = dict();
    this.last = { done: [], tail: [] };
  }
}
