import type { Token } from 'marked';
import { Component, type ComponentChildren, type VNode } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { BlockCache, shownElements } from './blocks';
import { Block, plainText } from './render-block';
import type { ImagePolicy } from '../config/types.ts';
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
    return next.ctx !== this.props.ctx || next.tokens.length !== prev.length || next.tokens.some((token, i) => token !== prev[i]);
  }

  override render({ tokens, start, ctx }: Chunk['props']) {
    return (
      <div class="dcb-md-chunk">
        {tokens.map((token, i) => (
          <Block key={start + i} token={token} ctx={ctx} index={start + i} />
        ))}
      </div>
    );
  }
}

/** New elements one render adds at most; the rest follow in later renders, a task apart. */
const PASS_ELEMENTS = 3000;

/**
 * One growing markdown text, lexed incrementally: finished blocks keep their tokens, so their
 * `Block`s skip rendering. A long text (a reload, or the window opened on a long answer) comes
 * in over several renders, each lexing one window and adding at most PASS_ELEMENTS elements, so no
 * render is a long task for the host page.
 */
function Blocks({ text, ctx }: { text: string; ctx: RenderCtx }) {
  const view = useRef<{ cache: BlockCache; shown: number }>();
  const [, setPass] = useState(0);
  const state = (view.current ??= { cache: new BlockCache(), shown: 0 });
  const { done, tail, pending } = state.cache.update(text);
  const all = done.concat(tail);
  let shown = Math.min(state.shown, all.length);
  for (let budget = PASS_ELEMENTS; shown < all.length && budget > 0; shown++) budget -= shownElements(all[shown]!);
  state.shown = shown;
  const more = pending || shown < all.length;
  useEffect(() => {
    if (!more) return;
    const timer = setTimeout(() => setPass((pass) => pass + 1));
    return () => clearTimeout(timer);
  });
  // A block keeps its index, so it always lives in the same chunk and keeps its DOM when it moves from the tail to the finished part.
  const chunks = [];
  for (let i = 0; i < shown; i += CHUNK) {
    chunks.push(<Chunk key={i} tokens={all.slice(i, Math.min(i + CHUNK, shown))} start={i} ctx={ctx} />);
  }
  return <>{chunks}</>;
}

/**
 * Render model output as markdown, safely: no HTML string ever reaches the
 * browser's HTML parser; links and images pass a URL allowlist. A leading
 * `<think>` section (and `reasoning`) becomes a collapsible "Thinking" section,
 * open while the model is still thinking.
 */
function MarkdownView({ text, streaming = false, reasoning, linkBase, imageBase, images, strings = EN }: MarkdownProps): VNode {
  // A stable context object lets finished blocks compare it by identity.
  const ctx = useMemo<RenderCtx>(
    () => ({ linkBase, imageBase, images, strings }),
    [linkBase, imageBase, images, strings.thinking, strings.copyCode, strings.copied, strings.table],
  );
  const { think, answer } = splitThink(text, streaming);
  const thinking = [reasoning, think].filter(Boolean).join('\n\n');
  const thinkOpen = streaming && !answer.trim();

  return (
    <div class="dcb-md">
      {(thinking.trim() || (thinkOpen && think !== null)) && (
        <details class="dcb-md-think" open={thinkOpen}>
          <summary>{strings.thinking}</summary>
          <Blocks text={thinking} ctx={ctx} />
        </details>
      )}
      <Blocks text={answer} ctx={ctx} />
    </div>
  );
}

/**
 * {@link MarkdownView} inside an error boundary: should rendering an answer throw anyway, the
 * answer falls back to its plain text (still selectable and copyable), the error goes to the
 * console instead of the host page's error handlers, and the rest of the chat goes on.
 */
export class Markdown extends Component<MarkdownProps, { failed?: boolean }> {
  override componentDidCatch(error: unknown): void {
    console.error('[dify-chatbot] An answer is shown as plain text, as rendering it failed:', error);
    this.setState({ failed: true });
  }

  override render(props: MarkdownProps): ComponentChildren {
    if (!this.state.failed) return <MarkdownView {...props} />;
    return <div class="dcb-md">{plainText(props.text)}</div>;
  }
}
