import { useMemo, useRef } from 'preact/hooks';
import { BlockCache } from './blocks';
import { Block } from './render-block';
import type { MarkdownStrings, RenderCtx } from './render-inline';
import { splitThink } from './think';

/** Props of {@link Markdown}. */
export interface MarkdownProps {
  /** The markdown source: untrusted model output. While streaming, each update should append to the last. */
  text: string;
  /** True while the answer is still arriving; keeps the thinking section open until the answer starts. */
  streaming?: boolean;
  /** Reasoning text from `reasoning_chunk` events, shown in the same collapsible "Thinking" section as `<think>`. */
  reasoning?: string;
  /** Base URL that relative links resolve against (the app's base URL). */
  linkBase: string;
  /** Origin that relative image URLs resolve against (the API origin: Dify signs file URLs relatively). */
  imageBase: string;
  /** Localised UI strings; English by default. */
  strings?: MarkdownStrings;
}

const EN: MarkdownStrings = { thinking: 'Thinking', copyCode: 'Copy code', copied: 'Copied', table: 'Table' };

/** One growing markdown text, lexed incrementally: finished blocks keep their tokens, so their `Block`s skip re-rendering. */
function Blocks({ text, ctx }: { text: string; ctx: RenderCtx }) {
  const cache = useRef<BlockCache>();
  const { done, tail } = (cache.current ??= new BlockCache()).update(text);
  // One flat keyed list, so a block moving from the tail to the finished part keeps its DOM.
  return <>{done.concat(tail).map((t, i) => <Block key={i} token={t} ctx={ctx} index={i} final={i < done.length} />)}</>;
}

/**
 * Render model output as markdown, safely: no HTML string ever reaches the
 * browser's HTML parser; links and images pass a URL allowlist. A leading
 * `<think>` section (and `reasoning`) becomes a collapsible "Thinking" section,
 * open while the model is still thinking.
 */
export function Markdown({ text, streaming = false, reasoning, linkBase, imageBase, strings = EN }: MarkdownProps) {
  const s = strings;
  // A stable context object lets finished blocks compare it by identity.
  const ctx = useMemo<RenderCtx>(
    () => ({ link: linkBase, img: imageBase, s }),
    [linkBase, imageBase, s.thinking, s.copyCode, s.copied, s.table],
  );
  const { think, answer } = splitThink(text, streaming);
  const thinking = [reasoning, think].filter(Boolean).join('\n\n');
  const thinkOpen = streaming && !answer.trim();

  return (
    <div class="dcb-md">
      {(thinking.trim() || (thinkOpen && think !== null)) && (
        <details class="dcb-md-think" open={thinkOpen}>
          <summary>{s.thinking}</summary>
          <Blocks text={thinking} ctx={ctx} />
        </details>
      )}
      <Blocks text={answer} ctx={ctx} />
    </div>
  );
}
