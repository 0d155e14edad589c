import type { ImagePolicy } from '../config/types.ts';
import { decodeEntities } from './entities';

/**
 * Parse `raw` the way a browser would after reading it from an `href`, and
 * return the resolved URL only if its scheme passes `allowed`.
 *
 * Why this defeats the usual tricks: entities are decoded first (marked leaves
 * `&#106;avascript:` and `javascript&colon;` for the HTML parser to decode);
 * the WHATWG URL parser then strips leading C0 controls and spaces and removes
 * tabs and newlines anywhere (`java\tscript:`), lower-cases the scheme
 * (`JaVaScRiPt:`), and treats anything that is not a valid scheme
 * (`%6Aavascript:`, `java\x01script:`) as a relative path, which resolves to
 * an http(s) URL under `base`. We check `protocol` only after all of that.
 */
function vet(raw: string, base: string, allowed: RegExp): string | null {
  try {
    const url = new URL(decodeEntities(raw), base || undefined);
    return allowed.test(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Vet a link destination from model output. Allows `http:`, `https:`,
 * `mailto:` and `tel:`; relative URLs resolve against `base` (the app's base
 * URL). Returns the absolute URL, or null when the link must not be rendered.
 */
export function safeLinkHref(raw: string, base: string): string | null {
  return vet(raw, base, /^(https?|mailto|tel):$/);
}

/**
 * Vet an image source from model output. Allows only `http:` and `https:`
 * (never `data:`, which can carry SVG); relative URLs resolve against the API
 * origin, because Dify signs file URLs relatively when FILES_URL is empty.
 * Returns the absolute URL, or null when the image must not be loaded.
 */
export function safeImageSrc(raw: string, apiOrigin: string): string | null {
  return vet(raw, apiOrigin, /^https?:$/);
}

/** What an answer shows for an image: the URL, and whether it may load by itself or only be a link. */
export interface AnswerImage {
  url: string;
  load: boolean;
}

/**
 * The site owner's `images` policy (README "Images in answers") for an image in an answer or an
 * answer's file: an image URL tells whoever it names the visitor's IP address and when they read
 * the answer, and answers are model output that injected text can steer.
 *
 * `'all'` (or none given) loads any http(s) image, as Dify; `'dify'` only Dify's own files
 * (`<apiOrigin>/files/…`); a list only images from those origins; `'none'` no image. An image the
 * policy does not load is a link (`load: false`). A relative URL is used only inside Dify's file
 * routes (signed previews and `message_file` tool files), never for whatever else the API origin
 * serves; for it, and for a URL that fails the allowlist, null: show the alt text only.
 */
export function answerImage(raw: string, apiOrigin: string, policy: ImagePolicy = 'all'): AnswerImage | null {
  const url = safeImageSrc(raw, apiOrigin);
  const difyFile = !!url?.startsWith(`${apiOrigin}/files/`);
  // Relative: it does not parse without a base.
  if (!url || (!difyFile && !vet(raw, '', /:/))) return null;
  return { url, load: policy === 'all' || (policy === 'dify' ? difyFile : policy !== 'none' && policy.includes(new URL(url).origin)) };
}
