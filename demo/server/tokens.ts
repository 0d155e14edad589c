/** Splits answers into realistic streaming deltas and makes the usage block of `message_end`. */

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A word is cut into about this many pieces at most: a question of one 300,000-character word is
 * echoed in the answer, and at 1–3 code points a piece that would be 150,000 events (over an hour
 * at the default token delay). Longer words get proportionally longer pieces.
 */
const MAX_PIECES_PER_WORD = 1000;

function chunkCodePoints(word: string, random: () => number): string[] {
  const points = Array.from(word);
  const scale = Math.max(1, Math.ceil(points.length / (2 * MAX_PIECES_PER_WORD)));
  const out: string[] = [];
  for (let i = 0; i < points.length; ) {
    const n = (1 + Math.floor(random() * 3)) * scale;
    out.push(points.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

/**
 * Tokens of 1–4 words (whitespace kept with the following word); long runs of non-ASCII text without
 * spaces (Chinese, Japanese, emoji) are cut every 1–3 code points. Joining the tokens gives the text back.
 */
export function tokenize(text: string, random: () => number = Math.random): string[] {
  const words: string[] = [];
  for (const word of text.match(/\s*\S+|\s+$/g) ?? []) {
    if (word.trim().length > 6 && NON_ASCII.test(word)) {
      // One push per piece: spreading a long word's pieces as arguments overflows the call stack.
      for (const piece of chunkCodePoints(word, random)) words.push(piece);
    } else {
      words.push(word);
    }
  }
  const tokens: string[] = [];
  for (let i = 0; i < words.length; ) {
    const n = 1 + Math.floor(random() * 4);
    tokens.push(words.slice(i, i + n).join(''));
    i += n;
  }
  return tokens;
}

/** Rough token count, good enough for a believable usage block. */
export function countTokens(text: string): number {
  return Math.max(1, Math.round(text.length / 4));
}

/** Decimal prices are JSON strings in Dify, sometimes in exponent notation (docs/PROTOCOL.md §3.1). */
export function decimalString(value: number): string {
  if (value === 0) return '0';
  if (value < 1e-6)
    return value
      .toExponential()
      .replace('e', 'E')
      .replace(/(\.\d{6})\d+/, '$1');
  return value.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}

export function usageBlock(promptTokens: number, completionTokens: number, latencySeconds: number): Record<string, unknown> {
  const promptPrice = (promptTokens * 0.15) / 1e6;
  const completionPrice = (completionTokens * 0.6) / 1e6;
  const latency = Math.round(latencySeconds * 1000) / 1000;
  return {
    prompt_tokens: promptTokens,
    prompt_unit_price: '0.15',
    prompt_price_unit: '0.000001',
    prompt_price: decimalString(promptPrice),
    completion_tokens: completionTokens,
    completion_unit_price: '0.6',
    completion_price_unit: '0.000001',
    completion_price: decimalString(completionPrice),
    total_tokens: promptTokens + completionTokens,
    total_price: decimalString(promptPrice + completionPrice),
    currency: 'USD',
    latency,
    time_to_first_token: Math.round(latency * 300) / 1000,
    time_to_generate: Math.round(latency * 700) / 1000,
  };
}
