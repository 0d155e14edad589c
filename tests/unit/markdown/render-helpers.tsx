import { render } from 'preact';
import { Markdown, type MarkdownProps } from '../../../src/markdown';

export const LINK_BASE = 'https://app.example/chat/abc';
export const IMAGE_BASE = 'https://api.example';

/** Render markdown into a fresh div and return the div. */
export function md(text: string, props: Partial<MarkdownProps> = {}, into = document.createElement('div')): HTMLDivElement {
  render(<Markdown text={text} linkBase={LINK_BASE} imageBase={IMAGE_BASE} {...props} />, into);
  return into;
}

/**
 * The rendered markdown's inner HTML (read only, for comparison), without the .dcb-md wrapper and
 * the chunk elements that group its blocks by 16 (Markdown.tsx; tested in render.test.tsx).
 */
export const html = (text: string, props?: Partial<MarkdownProps>): string => unchunked(md(text, props).firstElementChild!);

/** `el`'s inner HTML as if its blocks were not grouped into chunk elements. */
export function unchunked(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  for (const chunk of copy.querySelectorAll('.dcb-md-chunk')) chunk.replaceWith(...chunk.childNodes);
  return copy.innerHTML;
}
