import type { MarkedToken, Token, Tokens } from 'marked';
import { Component, type ComponentChildren } from 'preact';
import { shownPlain } from './blocks';
import { CodeBlock, inPieces } from './CodeBlock';
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
    return shownPlain(token) ? plainText(token.raw) : renderBlock(token, ctx);
  }
}

/** Text shown as written, keeping its line breaks. */
export const plainText = (text: string) => <p class="dcb-md-raw">{inPieces(text.replace(/\n+$/, ''))}</p>;

const blocks = (tokens: readonly Token[], ctx: RenderCtx) => tokens.map((token) => renderBlock(token, ctx));

function list(token: Tokens.List, ctx: RenderCtx) {
  const items = token.items.map((item) => <li class={item.task ? 'dcb-md-task' : undefined}>{blocks(item.tokens, ctx)}</li>);
  const start = token.start === '' || token.start === 1 ? undefined : token.start;
  return token.ordered ? <ol start={start}>{items}</ol> : <ul>{items}</ul>;
}

function table(token: Tokens.Table, ctx: RenderCtx) {
  // Alignment goes through the style object (CSSOM), which a strict CSP allows (docs/ARCHITECTURE.md §5).
  const cell = (content: Tokens.TableCell, Cell: 'th' | 'td') => (
    <Cell style={content.align ? { textAlign: content.align } : undefined}>{renderInline(content.tokens, ctx)}</Cell>
  );
  // A focusable, labelled region so keyboard users can scroll a wide table.
  return (
    <div class="dcb-md-table" tabIndex={0} role="region" aria-label={ctx.strings.table}>
      <table>
        <thead>
          <tr>{token.header.map((content) => cell(content, 'th'))}</tr>
        </thead>
        {token.rows.length > 0 && (
          <tbody>
            {token.rows.map((row) => (
              <tr>{row.map((content) => cell(content, 'td'))}</tr>
            ))}
          </tbody>
        )}
      </table>
    </div>
  );
}

/** Render one block token (and, recursively, its children). Unknown types show their source as text. */
export function renderBlock(token: Token, ctx: RenderCtx): ComponentChildren {
  const known = token as MarkedToken;
  switch (known.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
      return <p>{renderInline(known.tokens, ctx)}</p>;
    case 'text':
      // Tight list items hold text tokens, with inline tokens inside.
      return known.tokens ? renderInline(known.tokens, ctx) : decodeEntities(known.text);
    case 'checkbox':
      return renderInline([known], ctx);
    case 'heading': {
      const Heading = `h${Math.min(Math.max(known.depth, 1), 6)}` as 'h1';
      return <Heading class="dcb-md-h">{renderInline(known.tokens, ctx)}</Heading>;
    }
    case 'code':
      return <CodeBlock code={known.text.replace(/\n$/, '')} lang={known.lang} strings={ctx.strings} />;
    case 'blockquote':
      return <blockquote>{blocks(known.tokens, ctx)}</blockquote>;
    case 'list':
      return list(known, ctx);
    case 'table':
      return table(known, ctx);
    case 'hr':
      return <hr />;
    default:
      // Raw HTML blocks, text past the depth, work or size limits (lexer.ts, blocks.ts), and
      // anything marked may add later: the literal source, as text.
      return plainText(token.raw);
  }
}
