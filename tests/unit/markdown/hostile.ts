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
