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
