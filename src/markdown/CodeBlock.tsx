import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { PLAIN_PIECE, partEnd } from './blocks';
import type { MarkdownStrings } from './render-inline';

/**
 * Text shown as written; a long one in pieces, each its own box, so the browser lays out only the
 * pieces on screen (markdown.css) and a streamed token changes only the last.
 */
export function inPieces(text: string): ComponentChildren {
  if (text.length <= PLAIN_PIECE) return text;
  const pieces = [];
  for (let at = 0, end = 0; at < text.length; at = end) pieces.push(<span>{text.slice(at, (end = partEnd(text, at, PLAIN_PIECE)))}</span>);
  return pieces;
}

/** A language name safe to show and to put in our class name. */
const LANG = /^[\w+#.-]{1,32}$/;

/** A fenced or indented code block: language label, Copy button, and the code as one text node. */
export function CodeBlock({ code, lang, strings }: { code: string; lang: string | undefined; strings: MarkdownStrings }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  // marked keeps the whole info string (```js title="x"); the language is its first word.
  const word = (lang ?? '').split(/\s/)[0]!;
  const language = LANG.test(word) ? word : '';

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
        {language && <span class="dcb-md-lang">{language}</span>}
        {/* The button's text is its accessible name; aria-live announces "Copied". */}
        <button type="button" class="dcb-md-copy" aria-live="polite" onClick={copy}>
          {copied ? strings.copied : strings.copyCode}
        </button>
      </div>
      <pre>
        <code class={language ? `language-${language}` : undefined}>{inPieces(code)}</code>
      </pre>
    </div>
  );
}
