import { Lexer, type Links, type Token, type TokensList } from 'marked';

/**
 * marked's lexer with bounds, because an answer is untrusted input that runs in the host page
 * (docs/ARCHITECTURE.md §3 markdown/): marked recurses once per level of nesting, so a few
 * thousand `>` or `*` overflowed the stack, and some of its scans start again at every delimiter,
 * so a few thousand unmatched ones took seconds. tests/unit/markdown/lexer.test.ts pins each case
 * (and would catch a marked upgrade that moves what is patched here).
 *
 * - Depth: past {@link MAX_DEPTH} levels of blocks (quotes, list items) or of inline spans
 *   (emphasis, links), the rest of that text is kept as plain text.
 * - Work: every nested lex and every scan that can run to the end of the text draws on a budget
 *   proportional to the text. Ordinary markdown spends a fraction of it; once it is spent, the
 *   remaining delimiters of that text are plain characters, which marked reads in linear time.
 * - Three of marked's rules look much further ahead than they need to; they get cheaper copies.
 *
 * All of these only ever turn markup into literal text; they never drop a character.
 */

/** Levels of nesting kept as markup; deeper text is shown as written. */
export const MAX_DEPTH = 20;

/** Budget of a lex, in characters scanned: a fixed part, for short texts, plus this much per character. */
const FUEL_BASE = 50_000;
const FUEL_PER_CHAR = 4;

/** Text shown as written (past the depth or work limit, or the size caps): render-block's fallback for types it does not know. */
export const asText = (raw: string): Token => ({ type: 'plain', raw }) as unknown as Token;

type Rules = Record<string, RegExp>;
/** What our tokenizer methods use of marked's tokenizer. */
interface TokenizerState {
  lexer: GuardedLexer;
  rules: { block: Rules; inline: Rules };
}
type TokenizerMethod = (this: TokenizerState, src: string, ...rest: unknown[]) => Token | undefined;

/** marked's Tokenizer class; the build exports only the Lexer, whose default tokenizer is one. */
const BaseTokenizer = (new Lexer({}).options.tokenizer as object).constructor as new () => object;
const base = BaseTokenizer.prototype as Record<string, TokenizerMethod>;
class GuardedTokenizer extends BaseTokenizer {}
const guarded = GuardedTokenizer.prototype as Record<string, TokenizerMethod>;

/**
 * Tokenizers whose regular expressions scan ahead for a closing delimiter (a `*`, `` ` ``, `)`,
 * `-->`, a table's rows…) and may run to the end of the text before they fail, each with where its
 * token can start at all (as marked checks it, or before it would). A miss may have scanned all the
 * rest of the text; a match scanned about as far as it reaches. (A table's rows are scanned before
 * marked checks its delimiter row and that the header has as many cells: many `a\n-\n` or
 * `a|b\n-|\n` lines did that at every line.)
 */
const SCANNERS: Record<string, RegExp> = {
  emStrong: /^[*_]/,
  del: /^~/,
  codespan: /^`/,
  link: /^!?\[/,
  reflink: /^!?\[/,
  tag: /^</,
  table: /^.*\n(?=.*[:|])[-:| \t]+(?:\n|$)/,
};
for (const [name, scans] of Object.entries(SCANNERS)) {
  const scan = base[name]!;
  guarded[name] = function (src, ...rest) {
    const lexer = this.lexer;
    if (!scans.test(src) || lexer.fuel <= 0) return undefined;
    const token = scan.call(this, src, ...rest);
    lexer.fuel -= token ? token.raw.length : src.length;
    return token;
  };
}

/**
 * marked's inline rules for `gfm` + `breaks`, but a bare email address (`a@b.example`) has at most
 * 64 characters before its `@`, as RFC 5321 says. Looking for one, marked's text and URL rules
 * scan the whole run of address characters (letters, digits, and `_*~!&…`) ahead of every place the
 * text scanner stops, which is every delimiter of such a run: quadratic in `_a_b_a_b…`.
 */
const GFM_INLINE = (Lexer.rules.inline as unknown as Record<string, Rules>).breaks!;
const INLINE_RULES: Rules = {
  ...GFM_INLINE,
  text: new RegExp(GFM_INLINE.text!.source.replaceAll('-]+@', '-]{1,64}@')),
  url: new RegExp(GFM_INLINE.url!.source.replaceAll('-]+(@)', '-]{1,64}(@)')),
};

/**
 * GFM's paragraph rule checks before each line whether a table starts there, with the whole table
 * rule, whose rows run on to the end of the text: a paragraph of many `a|b\n-|` lines scanned the
 * rest of it at every line. A table starts where its header and delimiter rows are; the same rule
 * without the rows says so by looking at two lines.
 */
const GFM_BLOCK = (Lexer.rules.block as unknown as Record<string, Rules>).gfm!;
const TABLE = GFM_BLOCK.table!.source.slice(1);
const BLOCK_RULES: Rules = {
  ...GFM_BLOCK,
  paragraph: new RegExp(GFM_BLOCK.paragraph!.source.replace(TABLE, `${TABLE.slice(0, TABLE.indexOf('(?:\\n(('))}(?:\\n|$)`)),
};
class GuardedLexer extends Lexer {
  depth = 0;
  /** What is left of the budget: of the whole lex while blocks are lexed, then of each block's inline text. */
  fuel = 0;

  /**
   * Quotes and list items lex their content with a nested call (a quote again for each
   * continuation), and so do emphasis and links. Each block's inline text is lexed at depth 0, once
   * all blocks are: one budget for the blocks, and one per paragraph, cell or heading.
   */
  private nested(src: string, tokens: Token[], lexNested: () => Token[]): Token[] {
    if (!this.depth) this.fuel = FUEL_BASE + FUEL_PER_CHAR * src.length;
    this.fuel -= src.length;
    if (this.depth >= MAX_DEPTH || this.fuel < 0) {
      tokens.push(asText(src));
      return tokens;
    }
    this.depth++;
    try {
      return lexNested();
    } finally {
      this.depth--;
    }
  }

  override blockTokens(src: string, tokens?: Token[], lastParagraphClipped?: boolean): Token[];
  override blockTokens(src: string, tokens?: TokensList, lastParagraphClipped?: boolean): TokensList;
  override blockTokens(src: string, tokens: Token[] = [], lastParagraphClipped?: boolean): Token[] {
    return this.nested(src, tokens, () => super.blockTokens(src, tokens, lastParagraphClipped));
  }

  override inlineTokens(src: string, tokens: Token[] = []): Token[] {
    return this.nested(src, tokens, () => super.inlineTokens(src, tokens));
  }
}

/**
 * Lex with fresh options every time: `new Lexer()` without options would use marked's global
 * defaults, which another `marked.use()` on the host page could have changed. `breaks` matches
 * Dify's own renderer (remark-breaks): models write single newlines meaning line breaks. `silent`
 * makes marked log instead of throw on a tokenizer loop, since model output must never crash the
 * chat. `links` are the definitions found in text lexed before, so references resolve the way a
 * lex of the whole text would resolve them (marked reads `tokens.links` while lexing).
 */
export function lex(src: string, links: Links): Token[] & { links: Links } {
  const tokenizer = new GuardedTokenizer();
  const lexer = new GuardedLexer({ gfm: true, breaks: true, silent: true, tokenizer: tokenizer as never });
  Object.assign((tokenizer as unknown as TokenizerState).rules, { block: BLOCK_RULES, inline: INLINE_RULES });
  Object.assign(lexer.tokens.links, links);
  try {
    return lexer.lex(src);
  } catch {
    // A lexer bug must not take the chat down: show the source as text.
    return Object.assign([asText(src)], { links: lexer.tokens.links });
  }
}
