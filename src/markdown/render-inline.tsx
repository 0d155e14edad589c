import type { MarkedToken, Token, Tokens } from 'marked';
import type { ComponentChildren } from 'preact';
import type { ImagePolicy } from '../config/types.ts';
import { decodeEntities } from './entities';
import { answerImage, safeLinkHref } from './urls';

/** UI strings the renderer shows; the chat passes its locale's. */
export interface MarkdownStrings {
  thinking: string;
  copyCode: string;
  copied: string;
  table: string;
}

/** What every render function needs besides the token. One object, so a memoized block can compare it by identity. */
export interface RenderCtx {
  /** Base for relative links (the app's base URL). */
  linkBase: string;
  /** Base for relative images (the API origin). */
  imageBase: string;
  /** The site owner's `images` policy; `'all'` when absent. */
  images?: ImagePolicy;
  strings: MarkdownStrings;
}

/** A text token's text: marked leaves character references for the HTML parser, except in raw HTML (`escaped`), which is shown as written. */
const text = (token: { text: string; escaped?: boolean }): string => (token.escaped ? token.text : decodeEntities(token.text));

/** Flatten inline tokens to plain text, for an image's alt. */
export function plain(tokens: readonly Token[] | undefined): string {
  let out = '';
  for (const token of (tokens ?? []) as Tokens.Generic[]) {
    out += token.tokens
      ? plain(token.tokens)
      : token.type === 'text'
        ? text(token as Tokens.Text)
        : token.type === 'br'
          ? ' '
          : String(token.text ?? token.raw);
  }
  return out;
}

/** Render inline tokens. Model text reaches the DOM only as text nodes and vetted attributes. */
export function renderInline(tokens: readonly Token[] | undefined, ctx: RenderCtx): ComponentChildren[] {
  return (tokens ?? []).map((token) => inline(token, ctx));
}

function inline(token: Token, ctx: RenderCtx): ComponentChildren {
  // Generic tokens (from extensions we do not load) fall to `default`.
  const known = token as MarkedToken;
  switch (known.type) {
    case 'text':
      return known.tokens ? renderInline(known.tokens, ctx) : text(known);
    case 'escape':
      return known.text;
    case 'strong':
      return <strong>{renderInline(known.tokens, ctx)}</strong>;
    case 'em':
      return <em>{renderInline(known.tokens, ctx)}</em>;
    case 'del':
      return <del>{renderInline(known.tokens, ctx)}</del>;
    case 'codespan':
      return <code>{known.text}</code>;
    case 'br':
      return <br />;
    case 'checkbox':
      return <input type="checkbox" class="dcb-md-check" checked={known.checked} disabled />;
    case 'link': {
      const href = safeLinkHref(known.href, ctx.linkBase);
      // Autolinks are literal: character references in them are not decoded (CommonMark §6.5).
      const children = known.autolink ? known.text : renderInline(known.tokens, ctx);
      // A link we refuse keeps its text, so the answer still reads right.
      return href ? (
        <a href={href} title={known.title ? decodeEntities(known.title) : undefined} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      ) : (
        children
      );
    }
    case 'image': {
      const image = answerImage(known.href, ctx.imageBase, ctx.images);
      const alt = plain(known.tokens);
      // An image the `images` policy does not load is a link: nothing is fetched until the visitor asks.
      if (image && !image.load)
        return (
          <a href={image.url} target="_blank" rel="noopener noreferrer">
            {alt || image.url}
          </a>
        );
      return image ? (
        <img
          src={image.url}
          alt={alt}
          title={known.title ? decodeEntities(known.title) : undefined}
          loading="lazy"
          decoding="async"
          referrerpolicy="no-referrer"
        />
      ) : (
        alt
      );
    }
    case 'html':
      // Raw HTML is shown as the source text, never parsed. A bare <br> is
      // the one exception: models put it in table cells for line breaks, and
      // an attribute-less <br> element is inert.
      return /^<br\s*\/?>$/i.test(known.raw) ? <br /> : known.raw;
    default:
      return token.raw;
  }
}
