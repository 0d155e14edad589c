import type { Token } from 'marked';

/** The CPU time of `run`, best of `times` runs: the figure a busy machine inflates least. */
export function cpuMs(run: () => void, times = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** The children of a token: nested tokens, list items, table cells. */
function children(token: Token): Token[] {
  const t = token as Token & { tokens?: Token[]; items?: Token[]; header?: { tokens: Token[] }[]; rows?: { tokens: Token[] }[][] };
  return [
    ...(t.tokens ?? []),
    ...(t.items ?? []),
    ...(t.header ?? []).flatMap((c) => c.tokens),
    ...(t.rows ?? []).flat().flatMap((c) => c.tokens),
  ];
}

/** How deep tokens nest (a flat list is 1). Iterative, so a deep tree cannot overflow the test's stack either. */
export function depthOf(tokens: readonly Token[]): number {
  let deepest = 0;
  const stack: [Token, number][] = tokens.map((t) => [t, 1]);
  while (stack.length) {
    const [token, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of children(token)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The text of the leaves, in order: what a reader sees of the tokens, markup aside. */
export function textOf(tokens: readonly Token[]): string {
  let out = '';
  const stack = [...tokens].reverse();
  while (stack.length) {
    const token = stack.pop()!;
    const kids = children(token);
    if (kids.length) stack.push(...[...kids].reverse());
    else out += 'text' in token && typeof token.text === 'string' ? token.text : token.raw;
  }
  return out;
}

/** The shapes that made marked slow, each at a given length. */
export const SLOW_SHAPES: [string, (n: number) => string][] = [
  ['"_a*" (emphasis openers that never close)', (n) => '_a*'.repeat(n / 3)],
  ['"- *"', (n) => '- *'.repeat(n / 3)],
  ['"*x *x "', (n) => '*x *x '.repeat(n / 6)],
  ['"_a_b" (a bare email searched for at every underscore)', (n) => '_a_b'.repeat(n / 4)],
  ['"!*"', (n) => '!*'.repeat(n / 2)],
  ['"a|b\\n-|\\n" (a table header that never matches, at every line)', (n) => 'a|b\n-|\n'.repeat(n / 7)],
  ['"a\\n-\\n" (table rows scanned under every setext heading)', (n) => 'a\n-\n'.repeat(n / 4)],
  ['"> a\\nb\\n" (a quote with lazy lines)', (n) => '> a\nb\n'.repeat(n / 6)],
  ['"[a](b" (unclosed links)', (n) => '[a](b'.repeat(n / 5)],
  ['"` " (unclosed code spans)', (n) => '` '.repeat(n / 2)],
  ['stars around x', (n) => `${'*'.repeat(n / 2)}x${'*'.repeat(n / 2)}`],
];
