import { useEffect, useRef, useState } from 'preact/hooks';
import type { MarkdownStrings } from './render-inline';

/** A language name safe to show and to put in our class name. */
const LANG = /^[\w+#.-]{1,32}$/;

/** A fenced or indented code block: language label, Copy button, and the code as one text node. */
export function CodeBlock({ code, lang, s }: { code: string; lang: string | undefined; s: MarkdownStrings }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  // marked keeps the whole info string (```js title="x"); the language is its first word.
  const word = (lang ?? '').split(/\s/)[0]!;
  const l = LANG.test(word) ? word : '';

  const copy = () => {
    // The Clipboard API is missing on insecure origins and may reject without
    // a user grant; copying is a convenience, so fail quietly.
    try {
      navigator.clipboard.writeText(code).then(
        () => {
          setCopied(true);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setCopied(false), 2000);
        },
        () => {},
      );
    } catch {
      /* no clipboard */
    }
  };

  return (
    <div class="dcb-md-code">
      <div class="dcb-md-bar">
        {l && <span class="dcb-md-lang">{l}</span>}
        {/* The button's text is its accessible name; aria-live announces "Copied". */}
        <button type="button" class="dcb-md-copy" aria-live="polite" onClick={copy}>
          {copied ? s.copied : s.copyCode}
        </button>
      </div>
      <pre>
        <code class={l ? `language-${l}` : undefined}>{code}</code>
      </pre>
    </div>
  );
}
