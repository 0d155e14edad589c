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
 * Places the window next to the bubble on the side with room, as Dify's embed re-anchors its
 * iframe to the bubble's quadrant: above the bubble when it sits in the lower half, below it
 * otherwise; right edges aligned when it sits in the right half, left edges otherwise. When the
 * window is taller than the room on that side it gets a `maxHeight` that fits, so it never
 * covers the bubble or leaves the viewport.
 */
export function anchorWindow(bubble: Rect, windowSize: Size, viewport: Size): { left: number; top: number; maxHeight: number } {
  const inRightHalf = bubble.left + bubble.width / 2 > viewport.width / 2;
  const inLowerHalf = bubble.top + bubble.height / 2 > viewport.height / 2;
  const left = inRightHalf ? bubble.left + bubble.width - windowSize.width : bubble.left;
  const room = inLowerHalf ? bubble.top - 2 * GAP : viewport.height - (bubble.top + bubble.height) - 2 * GAP;
  const maxHeight = Math.max(0, room);
  const height = Math.min(windowSize.height, maxHeight);
  const top = inLowerHalf ? bubble.top - GAP - height : bubble.top + bubble.height + GAP;
  return {
    left: clamp(left, GAP, Math.max(GAP, viewport.width - windowSize.width - GAP)),
    top,
    maxHeight,
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
