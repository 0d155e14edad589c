/** The canned answer bodies behind the keywords in answers.ts (documented in demo/README.md). */

export function markdownAnswer(origin: string): string {
  return `# Markdown showcase

This answer exercises the **renderer**: *emphasis*, ~~strikethrough~~, \`inline code\`, a [link to Dify](https://dify.ai "Dify") and an autolink https://example.com/docs?x=1&y=2.

## Lists

1. First ordered item
2. Second item, with a nested list:
   - nested bullet
   - another one with \`code\`
3. Third item

- [x] a finished task
- [ ] an open task

## Table

| Feature | Status | Cost |
|:--------|:------:|-----:|
| Streaming | ✅ done | $0.00 |
| Markdown | ✅ done | $1.50 |
| Uploads | 🚧 in progress | $12.00 |

## Code

\`\`\`ts
export function greet(name: string): string {
  return \`Hello, \${name}!\`;
}
\`\`\`

\`\`\`python
def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)
\`\`\`

> The best way to predict the future is to invent it.
> — Alan Kay

![A small test image](${origin}/files/tools/markdown-sample.png)

---

That's all: headings, lists, a table with alignment, fenced code, a quote, an image and links.`;
}

export const CJK_ANSWER = `你好！这是一段中文回答，用来测试多字节字符的流式传输。
日本語のテキストもあります：こんにちは、世界。ストリーミングは大丈夫ですか？
한국어도 있어요: 안녕하세요, 반갑습니다.

Emoji: 😀 🎉 👍🏽 👨‍👩‍👧‍👦 🇯🇵 🧪 — astral-plane characters, skin tones and ZWJ sequences.
Math alphanumerics: 𝒙² + 𝒚² = 𝒛², and a CJK extension B character: 𠀋.`;

const LONG_SENTENCES = [
  'Streaming a long answer checks that the widget keeps up without re-rendering everything on every token.',
  'Each paragraph here is plain prose, so the cost of parsing should stay flat as the answer grows.',
  'Scrolling should follow the newest text unless the visitor has scrolled up to read something earlier.',
  'A stop button must remain responsive the whole time, and stopping must keep the text received so far.',
  'Copying the answer should give back exactly these characters, with no duplicated or missing fragments.',
  'Nothing in this answer is special; it is long on purpose, about five thousand characters in total.',
];

export function longAnswer(): string {
  const parts: string[] = ['# A long answer\n'];
  let length = parts[0]!.length;
  for (let section = 1; length < 5000; section++) {
    const heading = `\n## Section ${section}\n\n`;
    const body = LONG_SENTENCES.map((s, i) => LONG_SENTENCES[(i + section) % LONG_SENTENCES.length] ?? s).join(' ');
    parts.push(heading, body, '\n');
    length += heading.length + body.length + 1;
  }
  return parts.join('').trimEnd();
}

/** Hostile markdown/HTML: a safe renderer shows all of this as text or drops it; nothing may run. */
export const XSS_ANSWER = `# Hostile content test

Every line below tries to run script. None of the alerts may fire.

<script>alert('xss-script')</script>

<img src=x onerror="alert('xss-img')">

[javascript link](javascript:alert('xss-link'))

[entity-encoded link](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('xss-entity'))

[mixed-case link](JaVaScRiPt:alert('xss-case'))

[data: link](data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLWRhdGEnKTwvc2NyaXB0Pg==)

![svg data image](data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoJ3hzcy1zdmctZGF0YScpIi8+)

<svg onload="alert('xss-svg')"><circle r="10"/></svg>

<iframe src="javascript:alert('xss-iframe')"></iframe>

<a href="javascript:alert('xss-anchor')">an anchor tag</a>

<div style="background:url(javascript:alert('xss-css'))">a styled div</div>

<form action="javascript:alert('xss-form')"><button>submit</button></form>

<details open ontoggle="alert('xss-details')"><summary>details</summary></details>

[vbscript link](vbscript:msgbox('xss-vbscript'))

<img src="x" onerror=alert('xss-unclosed')//

Inline code is fine and must show as text: \`<script>alert('xss-code')</script>\`

\`\`\`html
<script>alert('this is only a code block')</script>
\`\`\``;

export function thinkPrefix(query: string): string {
  return `<think>
The user wrote: "${query.slice(0, 80)}". I should answer briefly and mention the keywords the mock understands.
Step 1: read the question. Step 2: pick a canned answer. Step 3: stream it.
</think>

`;
}

export const MODERATED_REPLACEMENT = "I'm sorry, but I can't help with that request.";

export const MODERATED_ORIGINAL = 'Here is the forbidden content you asked for, which output moderation is about to replace';

export function defaultAnswer(query: string): string {
  return `You asked: “${query}”.

This is a canned reply from the mock Dify server. Ask for **markdown**, **cjk**, **long**, **citations**, **think**, **moderation** or **xss** to see other answers.`;
}

export function citationAnswer(): string {
  return 'According to the Acme handbook, refunds are issued within 14 days of a return [1], and standard shipping takes 3–5 business days [2].';
}

const HUGE_ITEMS = ['latency', 'throughput', 'bundle size', 'memory', 'layout', 'parsing', 'scrolling', 'focus'];

/**
 * About 50,000 characters of mixed markdown (headings, prose, lists, tables, fenced code, quotes) for
 * streaming benchmarks. Deterministic: the same text on every call, varied by section number only.
 */
export function hugeAnswer(): string {
  const parts: string[] = [
    '# A huge answer\n\nSections of prose, lists, tables and code, repeated until about fifty thousand characters.\n',
  ];
  let length = parts[0]!.length;
  for (let n = 1; length < 50_000; n++) {
    const item = (k: number): string => HUGE_ITEMS[(n + k) % HUGE_ITEMS.length]!;
    const rows = [1, 2, 3, 4, 5].map(
      (r) => `| ${item(r)} | ${(n * 37 + r * 11) % 100} ms | ${(n * r) % 7 === 0 ? '⚠️ check' : '✅ ok'} | ${r * n} |`,
    );
    const code =
      n % 2 === 0
        ? `\`\`\`ts\nexport function section${n}(values: number[]): number {\n  let total = 0;\n  for (const value of values) total += value * ${n};\n  return total / Math.max(1, values.length);\n}\n\`\`\``
        : `\`\`\`python\ndef section_${n}(values: list[int]) -> float:\n    total = sum(v * ${n} for v in values)\n    return total / max(1, len(values))\n\`\`\``;
    const section = `
## Section ${n}: ${item(0)}

This section talks about **${item(0)}** and *${item(1)}*, with \`inline code\` and a [link](https://example.com/section/${n}). ${LONG_SENTENCES[n % LONG_SENTENCES.length]} ${LONG_SENTENCES[(n + 3) % LONG_SENTENCES.length]}

- first point about ${item(2)}
- second point, with \`value_${n}\`
  - a nested point about ${item(3)}
- third point about ${item(4)}

| Metric | Median | Status | Runs |
|:-------|-------:|:------:|-----:|
${rows.join('\n')}

${code}

1. Measure ${item(5)} before changing anything.
2. Change one thing at a time.
3. Measure again and compare.

> Note ${n}: ${LONG_SENTENCES[(n + 1) % LONG_SENTENCES.length]}
`;
    parts.push(section);
    length += section.length;
  }
  return parts.join('').trimEnd();
}
