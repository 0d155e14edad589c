export { Markdown, type MarkdownProps } from './Markdown';
export type { MarkdownStrings } from './render-inline';
export { safeLinkHref, safeImageSrc } from './urls';
export { warmWhenIdle } from './warm';
