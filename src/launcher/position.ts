/** Pure geometry for the bubble and the window. All values are CSS pixels. */

export interface Size {
  width: number;
  height: number;
}
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}
/** Where the bubble sits: distance of its left edge from the viewport's left, and of its bottom edge from the viewport's bottom. */
export interface BubblePosition {
  left: number;
  bottom: number;
}

/** Gap between the bubble and the window, and between both and the viewport edge. */
export const GAP = 16;

/** Keeps the whole bubble inside the viewport. */
export function clampBubble(position: BubblePosition, bubble: Size, viewport: Size): BubblePosition {
  return {
    left: clamp(position.left, 0, Math.max(0, viewport.width - bubble.width)),
    bottom: clamp(position.bottom, 0, Math.max(0, viewport.height - bubble.height)),
  };
}

/**
 * Moves the bubble by a pointer or keyboard delta along the allowed axis, then clamps it.
 * `dy` is in screen direction (down is positive), so it lowers `bottom`.
 */
export function moveBubble(
  start: BubblePosition,
  dx: number,
  dy: number,
  axis: 'x' | 'y' | 'both',
  bubble: Size,
  viewport: Size,
): BubblePosition {
  return clampBubble(
    {
      left: axis === 'y' ? start.left : start.left + dx,
      bottom: axis === 'x' ? start.bottom : start.bottom - dy,
    },
    bubble,
    viewport,
  );
}

/**
 * Places the window next to the bubble where most of it shows. Above or below first, as Dify's
 * embed re-anchors its iframe to the bubble's quadrant (above in the lower half, below in the upper
 * half; right edges aligned in the right half, left edges otherwise). When the window does not fit
 * there but shows more beside the bubble (a bubble dragged to the middle of the page), it goes left
 * or right of it, centred on it. Returns the box it gets: smaller than `windowSize` only where no
 * side has room for all of it, so it never covers the bubble or leaves the viewport.
 */
export function anchorWindow(bubble: Rect, windowSize: Size, viewport: Size): Rect {
  const bubbleRight = bubble.left + bubble.width;
  const bubbleBottom = bubble.top + bubble.height;
  // The room on each side: a gap to the bubble and a gap to the viewport's edge. More room
  // before than after the bubble means it sits in the right half; more above, the lower half.
  const above = bubble.top - 2 * GAP;
  const below = viewport.height - bubbleBottom - 2 * GAP;
  const before = bubble.left - 2 * GAP;
  const after = viewport.width - bubbleRight - 2 * GAP;
  const width = Math.min(windowSize.width, viewport.width - 2 * GAP);
  const height = Math.min(windowSize.height, viewport.height - 2 * GAP);
  const stackedHeight = Math.min(height, Math.max(above, below));
  const besideWidth = Math.min(width, Math.max(before, after));
  return besideWidth * height > width * stackedHeight
    ? {
        left: before > after ? bubble.left - GAP - besideWidth : bubbleRight + GAP,
        top: clamp(bubble.top + (bubble.height - height) / 2, GAP, viewport.height - GAP - height),
        width: besideWidth,
        height,
      }
    : {
        left: clamp(before > after ? bubbleRight - width : bubble.left, GAP, viewport.width - GAP - width),
        top: below > above ? bubbleBottom + GAP : bubble.top - GAP - stackedHeight,
        width,
        height: stackedHeight,
      };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Reads a stored bubble position; anything malformed reads as "no position". */
export function parseStoredPosition(raw: string | null): BubblePosition | null {
  try {
    // JSON.parse throws on null, '' and garbage; destructuring throws on a stored `null`.
    const { left, bottom } = JSON.parse(raw!) as Record<string, unknown>;
    // Number.isFinite is false for anything that is not a finite number (no coercion).
    if (Number.isFinite(left) && Number.isFinite(bottom)) return { left: left as number, bottom: bottom as number };
  } catch {
    // Fall through: a corrupted entry is treated as absent.
  }
  return null;
}
