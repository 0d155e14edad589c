import type { Links, Token } from 'marked';
import { asText, lex } from './lexer';

/**
 * The top-level tokens of a text: `done` ones never change again, `tail` is re-lexed on every
 * update. `pending`: the text goes on past what was lexed; update again (with the same text) for more.
 */
export interface Blocks {
  done: readonly Token[];
  tail: readonly Token[];
  pending: boolean;
}

/**
 * At most this much source is lexed per update (docs/ARCHITECTURE.md §3 markdown/): a long text is
 * lexed a window at a time, over several renders, and a block longer than this is cut in parts
 * (a paragraph, list or table in a few consecutive ones), so neither a reload nor the next streamed
 * token ever lexes more, and whatever in marked is still worse than linear stays small. Fenced code
 * is not cut.
 */
export const WINDOW = 16_384;
/** Past this much markdown source, or when the finished blocks come to this many elements, the rest of an answer is plain text. */
export const MARKDOWN_CAP = 200_000;
export const ELEMENT_CAP = 20_000;
/**
 * A block that would render to more elements than this (thousands of one-word lines, a table of
 * thousands of cells) is shown as its plain source: one block is rendered in one go, and this many
 * elements already take tens of milliseconds.
 */
export const BLOCK_ELEMENTS = 4000;
/** Plain text goes in pieces of about this size, so the browser lays out only the ones on screen. */
export const PLAIN_PIECE = 2048;

/**
 * About how many elements a token renders to as markdown. Each block is counted a few times (when
 * it finishes, when it is first shown, when it renders), never on every update.
 */
export function elementCount(token: object): number {
  // Children are in `tokens`, a list's `items`, a table's `header` and `rows` (a header cell's `header` is `true`).
  const { tokens, items, header, rows = [] } = token as Record<string, unknown>;
  let elements = 1;
  for (const children of [tokens, items, header, ...(rows as unknown[])]) {
    if (Array.isArray(children)) for (const child of children) elements += elementCount(child);
  }
  return elements;
}

/** Whether a top-level block is shown as its plain source (see BLOCK_ELEMENTS). */
export const shownPlain = (token: Token): boolean => token.type === 'plain' || elementCount(token) > BLOCK_ELEMENTS;

/** About how many elements a top-level block is shown with. */
export const shownElements = (token: Token): number =>
  shownPlain(token) ? 2 + 2 * ((token.raw.length / PLAIN_PIECE) | 0) : elementCount(token);

/**
 * Where a part of at most `size` characters of `text` from `from` ends: at a line end in its second
 * half, before an unindented line if there is one (so a list item or quote line stays with its
 * continuation), else mid-line (one 300,000-character word) but not inside a surrogate pair.
 */
export function partEnd(text: string, from: number, size: number): number {
  const limit = from + size;
  if (text.length <= limit) return text.length;
  const half = from + size / 2;
  let end = text.lastIndexOf('\n', limit - 1) + 1;
  while (end > half && (text[end] === ' ' || text[end] === '\t')) end = text.lastIndexOf('\n', end - 2) + 1;
  if (end > half) return end;
  end = text.lastIndexOf('\n', limit - 1) + 1;
  return end > half ? end : /[\ud800-\udbff]/.test(text[limit - 1]!) ? limit - 1 : limit;
}

/** A fenced code block's opening fence. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Add the `def` tokens in `tokens` (blockquotes and list items may hold them too) to `into`; the first wins, as in marked. */
function collectDefs(tokens: readonly Token[], into: Links): void {
  for (const token of tokens) {
    if (token.type === 'def') into[token.tag] ??= { href: token.href, title: token.title };
    else if (token.type === 'blockquote' || token.type === 'list_item') collectDefs(token.tokens ?? [], into);
    else if (token.type === 'list') collectDefs(token.items, into);
  }
}

/** A prototype-less map, so a definition labelled `[constructor]` is not mistaken for an inherited key. */
const dict = (): Links => Object.create(null);

function sameLinks(before: Links, now: Links): boolean {
  const labels = Object.keys(before);
  return (
    labels.length === Object.keys(now).length &&
    labels.every(
      (label) => now[label] !== undefined && before[label]!.href === now[label].href && before[label]!.title === now[label].title,
    )
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
  /** Elements the finished blocks render to (see ELEMENT_CAP). */
  private doneElements = 0;
  private last: Blocks = { done: [], tail: [], pending: false };
  /** Characters lexed so far; lets tests prove the work per update stays flat. */
  lexed = 0;

  /** Bring the blocks up to date with `input` (normally the previous text plus what just streamed in). */
  update(input: string): Blocks {
    const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
    if (text === this.src && !this.last.pending) return this.last;
    // Not `startsWith`: V8 compares char by char there, 100x slower than `===`
    // on a slice, which made this O(n) check the main cost of a long answer.
    if (text.slice(0, this.src.length) !== this.src) this.reset();
    this.src = text;

    const plain = this.pastCaps();
    let end = partEnd(text, this.doneLen, WINDOW);
    let tail = this.lexTail(end);
    // A fenced code block that runs past the window is lexed whole instead (up to the cap): its
    // lexing is one linear scan, and cut in parts its later lines would become markdown.
    if (end < text.length && tail.length === 1 && tail[0]!.type === 'code' && FENCE.test(tail[0]!.raw)) {
      tail = this.lexTail((end = partEnd(text, this.doneLen, MARKDOWN_CAP)));
    }
    if (!sameLinks(tail.links, this.links)) {
      // A new or changed definition can make `[x]` anywhere a link (or not): reuse no token lexed
      // with the old definitions, and lex the finished blocks again. That only while the text fits
      // in one window, though: lexing it all again is what windows avoid, so past that a
      // definition applies from where the lexing has got to.
      if (this.doneLen > 0 && text.length <= WINDOW) {
        this.reset();
        this.src = text;
        tail = this.lexTail((end = text.length));
      }
      this.last = { ...this.last, tail: [] };
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
    const rest = text.slice(this.doneLen, end);
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
    // Offsets are only trustworthy if the raws add up to the source. Where they do not (marked
    // drops characters in some deeply nested lists), the source is shown as plain text instead,
    // so that no character of an answer is ever lost.
    if (pos !== rest.length) tokens.splice((cut = cutLen = 0), tokens.length, asText(rest));
    // A full window without a place to cut is one long block: cut it at the window's end (before a
    // fence that starts in it, which the next window then lexes whole).
    if (!cut && end < text.length) {
      const last = tokens.at(-1)!;
      const before = tokens.length > 1 && last.type === 'code' && FENCE.test(last.raw);
      cut = tokens.length - (before ? 1 : 0);
      cutLen = rest.length - (before ? last.raw.length : 0);
    }

    // Finished blocks count towards the element cap; the ones past it go again, as plain text.
    let counted = plain ? cut : 0;
    while (counted < cut && !this.pastCaps()) this.doneElements += shownElements(tokens[counted++]!);
    const capped = counted < cut;
    if (capped) cutLen = tokens.slice(0, (cut = counted)).reduce((length, token) => length + token.raw.length, 0);

    const finished = tokens.slice(0, cut);
    collectDefs(finished, this.doneLinks);
    this.done.push(...finished);
    this.doneLen += cutLen;
    return (this.last = { done: this.done.slice(), tail: tokens.slice(cut), pending: capped || end < text.length });
  }

  private lexTail(end: number) {
    // A string of its own: token raws are slices of what we lex, and in V8 a
    // slice keeps its parent alive, so each finished block would pin the
    // whole answer as it was at that moment (60 MB for a 100 KB answer).
    const src = ` ${this.src.slice(this.doneLen, end)}`.slice(1);
    this.lexed += src.length;
    // Past the caps, the rest goes window by window as plain text.
    return this.pastCaps() ? Object.assign([asText(src)], { links: this.links }) : lex(src, this.doneLinks);
  }

  private pastCaps(): boolean {
    return this.doneLen >= MARKDOWN_CAP || this.doneElements >= ELEMENT_CAP;
  }

  private reset(): void {
    this.src = '';
    this.done = [];
    this.doneLen = 0;
    this.doneLinks = dict();
    this.links = dict();
    this.doneElements = 0;
    this.last = { done: [], tail: [], pending: false };
  }
}
