/**
 * The few named character references worth decoding by hand. marked leaves
 * entities in text, titles and link destinations for the browser's HTML parser
 * to decode; we never use that parser, so we decode here. A full HTML5 table
 * is ~2,000 names and too big to ship; unknown names stay literal, which is
 * safe (they are shown as text, or make a URL relative). `colon`, `Tab` and
 * `NewLine` are here because they are the classic ways to hide `javascript:`.
 */
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  colon: ':',
  Tab: '\t',
  NewLine: '\n',
  lpar: '(',
  rpar: ')',
  sol: '/',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
};

/**
 * Decode numeric and common named character references once, as a browser
 * would for an attribute value or text (CommonMark §2.5).
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|(\w{2,8}));/g, (reference, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name] ?? reference;
    const code = dec ? parseInt(dec, 10) : parseInt(hex!, 16);
    // Same replacement rule as the HTML spec for invalid code points.
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  });
}
