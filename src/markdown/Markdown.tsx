import type { Token } from 'marked';
import { Component, type VNode } from 'preact';
import { useMemo, useRef } from 'preact/hooks';
import type { ImagePolicy } from '../config/types.ts';
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
  /** The `images` option: which images load by themselves; the rest show as links. Default `'all'`. */
  images?: ImagePolicy;
  /** Localised UI strings; English by default. */
  strings?: MarkdownStrings;
}

const EN: MarkdownStrings = { thinking: 'Thinking', copyCode: 'Copy code', copied: 'Copied', table: 'Table' };

/** Blocks per chunk: enough that a long answer has few chunks, few enough that a changed chunk is cheap. */
const CHUNK = 16;

/**
 * A run of `CHUNK` consecutive blocks, in an element of its own. Preact still walks every child
 * of a list on each render, and the browser's layout every child of a box, so with hundreds of
 * blocks even skipped ones add up: grouped, a finished chunk is one child to both, and one box
 * that skips style, layout and paint while off screen (markdown.css). This keeps a token's cost
 * flat as an answer grows.
 */
class Chunk extends Component<{ tokens: Token[]; start: number; ctx: RenderCtx }> {
  override shouldComponentUpdate(next: Chunk['props']): boolean {
    const prev = this.props.tokens;
    return next.ctx !== this.props.ctx || next.tokens.length !== prev.length || next.tokens.some((t, i) => t !== prev[i]);
  }

  override render({ tokens, start, ctx }: Chunk['props']) {
    return (
      <div class="dcb-md-chunk">
        {tokens.map((t, i) => (
          <Block key={start + i} token={t} ctx={ctx} index={start + i} />
        ))}
      </div>
    );
  }
}

/** One growing markdown text, lexed incrementally: finished blocks keep their tokens, so their `Block`s skip rendering. */
function Blocks({ text, ctx }: { text: string; ctx: RenderCtx }) {
  const cache = useRef<BlockCache>();
  const { done, tail } = (cache.current ??= new BlockCache()).update(text);
  const all = done.concat(tail);
  // A block keeps its index, so it always lives in the same chunk and keeps its DOM when it moves from the tail to the finished part.
  const chunks = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    chunks.push(<Chunk key={i} tokens={all.slice(i, i + CHUNK)} start={i} ctx={ctx} />);
  }
  return <>{chunks}</>;
}

/**
 * Render model output as markdown, safely: no HTML string ever reaches the
 * browser's HTML parser; links and images pass a URL allowlist. A leading
 * `<think>` section (and `reasoning`) becomes a collapsible "Thinking" section,
 * open while the model is still thinking.
 */
export function Markdown({ text, streaming = false, reasoning, linkBase, imageBase, images, strings = EN }: MarkdownProps): VNode {
  const s = strings;
  // A stable context object lets finished blocks compare it by identity.
  const ctx = useMemo<RenderCtx>(
    () => ({ link: linkBase, img: imageBase, images, s }),
    [linkBase, imageBase, images, s.thinking, s.copyCode, s.copied, s.table],
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
