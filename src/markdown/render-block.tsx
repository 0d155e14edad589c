import type { MarkedToken, Token, Tokens } from 'marked';
import { Component, type ComponentChildren } from 'preact';
import { CodeBlock } from './CodeBlock';
import { decodeEntities } from './entities';
import { renderInline, type RenderCtx } from './render-inline';

/**
 * Test seam: called each time a top-level block actually renders. Lets tests
 * prove finished blocks are skipped while the tail streams.
 */
export const renderHooks: { onBlockRender?: (token: Token, index: number) => void } = {};

interface BlockProps {
  token: Token;
  ctx: RenderCtx;
  /** Position in the message; only for {@link renderHooks}. */
  index: number;
}

/**
 * One top-level block. A finished block keeps its token object, so comparing
 * by identity lets Preact skip it entirely on every later streamed token
 * (preact/compat's `memo` is not in the bundle).
 */
export class Block extends Component<BlockProps> {
  override shouldComponentUpdate(next: BlockProps): boolean {
    return next.token !== this.props.token || next.ctx !== this.props.ctx;
  }

  override render({ token, ctx, index }: BlockProps) {
    renderHooks.onBlockRender?.(token, index);
    return renderBlock(token, ctx);
  }
}

const blocks = (tokens: readonly Token[], ctx: RenderCtx) => tokens.map((t) => renderBlock(t, ctx));

function list(t: Tokens.List, ctx: RenderCtx) {
  const items = t.items.map((it) => <li class={it.task ? 'dcb-md-task' : undefined}>{blocks(it.tokens, ctx)}</li>);
  return t.ordered ? <ol start={t.start === '' || t.start === 1 ? undefined : t.start}>{items}</ol> : <ul>{items}</ul>;
}

function table(t: Tokens.Table, ctx: RenderCtx) {
  // Alignment goes through the style object (CSSOM), which a strict CSP allows (docs/ARCHITECTURE.md §5).
  const cell = (c: Tokens.TableCell, H: 'th' | 'td') => (
    <H style={c.align ? { textAlign: c.align } : undefined}>{renderInline(c.tokens, ctx)}</H>
  );
  // A focusable, labelled region so keyboard users can scroll a wide table.
  return (
    <div class="dcb-md-table" tabIndex={0} role="region" aria-label={ctx.s.table}>
      <table>
        <thead>
          <tr>{t.header.map((c) => cell(c, 'th'))}</tr>
        </thead>
        {t.rows.length > 0 && (
          <tbody>
            {t.rows.map((r) => (
              <tr>{r.map((c) => cell(c, 'td'))}</tr>
            ))}
          </tbody>
        )}
      </table>
    </div>
  );
}

/** Render one block token (and, recursively, its children). Unknown types show their source as text. */
export function renderBlock(tok: Token, ctx: RenderCtx): ComponentChildren {
  const t = tok as MarkedToken;
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
      return <p>{renderInline(t.tokens, ctx)}</p>;
    case 'text':
      // Tight list items hold text tokens, with inline tokens inside.
      return t.tokens ? renderInline(t.tokens, ctx) : decodeEntities(t.text);
    case 'checkbox':
      return renderInline([t], ctx);
    case 'heading': {
      const H = `h${Math.min(Math.max(t.depth, 1), 6)}` as 'h1';
      return <H class="dcb-md-h">{renderInline(t.tokens, ctx)}</H>;
    }
    case 'code':
      return <CodeBlock code={t.text.replace(/\n$/, '')} lang={t.lang} s={ctx.s} />;
    case 'blockquote':
      return <blockquote>{blocks(t.tokens, ctx)}</blockquote>;
    case 'list':
      return list(t, ctx);
    case 'table':
      return table(t, ctx);
    case 'hr':
      return <hr />;
    default:
      // Raw HTML blocks and anything marked may add later: the literal source, as text.
      return <p class="dcb-md-raw">{tok.raw.replace(/\n+$/, '')}</p>;
  }
}
