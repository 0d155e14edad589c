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
  link: string;
  /** Base for relative images (the API origin). */
  img: string;
  /** The site owner's `images` policy; `'all'` when absent. */
  images?: ImagePolicy;
  s: MarkdownStrings;
}

/** A text token's text: marked leaves character references for the HTML parser, except in raw HTML (`escaped`), which is shown as written. */
const text = (t: { text: string; escaped?: boolean }): string => (t.escaped ? t.text : decodeEntities(t.text));

/** Flatten inline tokens to plain text, for an image's alt. */
export function plain(tokens: readonly Token[] | undefined): string {
  let out = '';
  for (const t of (tokens ?? []) as Tokens.Generic[]) {
    out += t.tokens ? plain(t.tokens) : t.type === 'text' ? text(t as Tokens.Text) : t.type === 'br' ? ' ' : String(t.text ?? t.raw);
  }
  return out;
}

/** Render inline tokens. Model text reaches the DOM only as text nodes and vetted attributes. */
export function renderInline(tokens: readonly Token[] | undefined, ctx: RenderCtx): ComponentChildren[] {
  return (tokens ?? []).map((t) => inline(t, ctx));
}

function inline(tok: Token, ctx: RenderCtx): ComponentChildren {
  // Generic tokens (from extensions we do not load) fall to `default`.
  const t = tok as MarkedToken;
  switch (t.type) {
    case 'text':
      return t.tokens ? renderInline(t.tokens, ctx) : text(t);
    case 'escape':
      return t.text;
    case 'strong':
      return <strong>{renderInline(t.tokens, ctx)}</strong>;
    case 'em':
      return <em>{renderInline(t.tokens, ctx)}</em>;
    case 'del':
      return <del>{renderInline(t.tokens, ctx)}</del>;
    case 'codespan':
      return <code>{t.text}</code>;
    case 'br':
      return <br />;
    case 'checkbox':
      return <input type="checkbox" class="dcb-md-check" checked={t.checked} disabled />;
    case 'link': {
      const href = safeLinkHref(t.href, ctx.link);
      // Autolinks are literal: character references in them are not decoded (CommonMark §6.5).
      const kids = t.autolink ? t.text : renderInline(t.tokens, ctx);
      // A link we refuse keeps its text, so the answer still reads right.
      return href ? (
        <a href={href} title={t.title ? decodeEntities(t.title) : undefined} target="_blank" rel="noopener noreferrer">
          {kids}
        </a>
      ) : (
        kids
      );
    }
    case 'image': {
      const image = answerImage(t.href, ctx.img, ctx.images);
      const alt = plain(t.tokens);
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
          title={t.title ? decodeEntities(t.title) : undefined}
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
      return /^<br\s*\/?>$/i.test(t.raw) ? <br /> : t.raw;
    default:
      return tok.raw;
  }
}
