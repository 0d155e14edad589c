import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Page stylesheets that try hard to reach the widget: broad `!important` rules, resets and the
 * base styles of popular frameworks, read from their npm packages (devDependencies).
 */

const fromPackage = (path: string) => readFileSync(resolve('node_modules', path), 'utf8');

/** Tailwind 3's preflight, with its `theme('key', fallback)` calls replaced by the fallbacks. */
export function tailwindPreflight(): string {
  return fromPackage('tailwindcss/src/css/preflight.css').replace(/theme\('[^']*',\s*([^;]*?)\)\s*;/g, '$1;');
}

export function bootstrapCss(): string {
  return fromPackage('bootstrap/dist/css/bootstrap.min.css').replace(/\/\*# sourceMappingURL=.*?\*\//g, '');
}

export function modernNormalize(): string {
  return fromPackage('modern-normalize/modern-normalize.css');
}

/** Eric Meyer's reset 2.0 (public domain), verbatim apart from whitespace. */
export const MEYER_RESET = `
html, body, div, span, applet, object, iframe, h1, h2, h3, h4, h5, h6, p, blockquote, pre, a, abbr,
acronym, address, big, cite, code, del, dfn, em, img, ins, kbd, q, s, samp, small, strike, strong,
sub, sup, tt, var, b, u, i, center, dl, dt, dd, ol, ul, li, fieldset, form, label, legend, table,
caption, tbody, tfoot, thead, tr, th, td, article, aside, canvas, details, embed, figure, figcaption,
footer, header, hgroup, menu, nav, output, ruby, section, summary, time, mark, audio, video {
  margin: 0; padding: 0; border: 0; font-size: 100%; font: inherit; vertical-align: baseline;
}
article, aside, details, figcaption, figure, footer, header, hgroup, menu, nav, section { display: block; }
body { line-height: 1; }
ol, ul { list-style: none; }
blockquote, q { quotes: none; }
blockquote:before, blockquote:after, q:before, q:after { content: ''; content: none; }
table { border-collapse: collapse; border-spacing: 0; }`;

/** The universal `!important` rule from the brief, applied to every element of the page. */
export const UNIVERSAL_IMPORTANT = `* {
  color: red !important; font: 30px/3 serif !important; margin: 7px !important; padding: 9px !important;
  box-sizing: content-box !important; border: 2px solid lime !important; background: yellow !important;
  line-height: 3 !important;
}`;

/** More inherited properties a careless page sets on everything; they would flow into a shadow tree. */
export const UNIVERSAL_INHERITED = `* {
  letter-spacing: 3px !important; word-spacing: 12px !important; text-transform: uppercase !important;
  text-align: right !important; text-indent: 20px !important; text-shadow: 2px 2px 0 lime !important;
  font-style: italic !important; font-weight: 900 !important; white-space: nowrap !important;
  text-decoration: underline wavy red !important; -webkit-text-fill-color: orange !important;
  cursor: crosshair !important; list-style: square inside !important; visibility: visible !important;
  word-break: break-all !important; font-variant: small-caps !important;
}`;

/** The same declarations by element type (none of which the widget's hosts are). */
export const ELEMENT_SELECTORS = `button, div, p, svg, span, textarea, ul, li, ol, h1, h2, h3, header, footer, section,
img, a, form, input, label, details, summary, pre, code, strong, em, path, rect, circle {
  color: red !important; font: 30px/3 serif !important; margin: 7px !important; padding: 9px !important;
  box-sizing: content-box !important; border: 2px solid lime !important; background: yellow !important;
  line-height: 3 !important; display: block !important; width: 100px !important; height: 50px !important;
  fill: red !important; stroke: lime !important; opacity: 0.5 !important; position: static !important;
}
[hidden] { display: block !important; }
[role="dialog"], [aria-hidden="true"] { display: block !important; outline: 5px solid red !important; }`;

/** A small root font size (rem-based layouts do this) and inherited body text styles. */
export const ROOT_FONT_SIZE = `html { font-size: 10px; }
body { font: 2rem/2 Georgia, serif; color: #333; }`;
