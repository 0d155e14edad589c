import type { Size } from './position.ts';

/** The layout viewport that `position: fixed` boxes live in (excludes classic scrollbars). */
export function viewportSize(doc: Document): Size {
  const root = doc.documentElement;
  const win = doc.defaultView;
  const standards = doc.compatMode === 'CSS1Compat';
  return {
    width: (standards && root.clientWidth) || win?.innerWidth || 0,
    height: (standards && root.clientHeight) || win?.innerHeight || 0,
  };
}
