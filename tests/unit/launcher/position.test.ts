import { describe, expect, it } from 'vitest';
import { anchorWindow, clampBubble, GAP, moveBubble, parseStoredPosition } from '../../../src/launcher/position.ts';

const viewport = { width: 1000, height: 800 };
const bubble = { width: 48, height: 48 };
const windowSize = { width: 384, height: 600 };

describe('bubble geometry', () => {
  it('keeps the bubble inside the viewport', () => {
    expect(clampBubble({ left: -20, bottom: 900 }, bubble, viewport)).toEqual({ left: 0, bottom: 752 });
    expect(clampBubble({ left: 990, bottom: -5 }, bubble, viewport)).toEqual({ left: 952, bottom: 0 });
  });

  it('moves along the allowed axis only', () => {
    const start = { left: 100, bottom: 100 };
    expect(moveBubble(start, 30, 40, 'both', bubble, viewport)).toEqual({ left: 130, bottom: 60 });
    expect(moveBubble(start, 30, 40, 'x', bubble, viewport)).toEqual({ left: 130, bottom: 100 });
    expect(moveBubble(start, 30, 40, 'y', bubble, viewport)).toEqual({ left: 100, bottom: 60 });
  });
});

describe('anchorWindow: the window opens on the side of the bubble where most of it shows', () => {
  /** Both boxes inside the viewport (with its gap) and apart from each other. */
  const expectBesideInside = (b: { left: number; top: number; width: number; height: number }, w: typeof b, v = viewport) => {
    expect(w.left).toBeGreaterThanOrEqual(GAP);
    expect(w.top).toBeGreaterThanOrEqual(GAP);
    expect(w.left + w.width).toBeLessThanOrEqual(v.width - GAP);
    expect(w.top + w.height).toBeLessThanOrEqual(v.height - GAP);
    const apart =
      w.left + w.width + GAP <= b.left ||
      b.left + b.width + GAP <= w.left ||
      w.top + w.height + GAP <= b.top ||
      b.top + b.height + GAP <= w.top;
    expect(apart, `window ${JSON.stringify(w)} overlaps the bubble ${JSON.stringify(b)}`).toBe(true);
  };

  it('bottom-right bubble (the default): full size above it, right edges aligned', () => {
    const b = { left: 936, top: 736, width: 48, height: 48 };
    expect(anchorWindow(b, windowSize, viewport)).toEqual({ left: 984 - 384, top: 736 - GAP - 600, width: 384, height: 600 });
  });

  it('top-left bubble: full size below it, left edges aligned', () => {
    const b = { left: 20, top: 20, width: 48, height: 48 };
    expect(anchorWindow(b, windowSize, viewport)).toEqual({ left: 20, top: 20 + 48 + GAP, width: 384, height: 600 });
  });

  it('a bubble dragged to the middle of a 1280x800 page: the whole 384x700 window beside it, not squeezed above it', () => {
    const page = { width: 1280, height: 800 };
    const b = { left: 616, top: 376, width: 48, height: 48 };
    const w = anchorWindow(b, { width: 384, height: 700 }, page);
    expect([w.width, w.height]).toEqual([384, 700]);
    expectBesideInside(b, w, page);
    // Centred on the bubble, as far as the viewport allows.
    expect(w.top).toBe(400 - 350);
  });

  it('beside the bubble on the side with more room: right of a bubble left of the middle, left of one right of it', () => {
    const page = { width: 1280, height: 800 };
    const leftOfMiddle = { left: 300, top: 380, width: 48, height: 48 };
    expect(anchorWindow(leftOfMiddle, { width: 384, height: 700 }, page).left).toBe(348 + GAP);
    const rightOfMiddle = { left: 900, top: 380, width: 48, height: 48 };
    expect(anchorWindow(rightOfMiddle, { width: 384, height: 700 }, page).left).toBe(900 - GAP - 384);
  });

  it('clamps a window beside a bubble near the bottom into the viewport', () => {
    const page = { width: 1280, height: 800 };
    const b = { left: 616, top: 700, width: 48, height: 48 };
    const w = anchorWindow(b, { width: 384, height: 740 }, page);
    // Above would show 652 of 740 px; beside shows all of it.
    expect(w.height).toBe(740);
    expect(w.top).toBe(800 - GAP - 740);
    expectBesideInside(b, w, page);
  });

  it('where no side has room for all of it, it takes the side that shows the most and fits there', () => {
    const small = { width: 900, height: 600 };
    const b = { left: 426, top: 100, width: 48, height: 48 };
    const w = anchorWindow(b, { width: 640, height: 700 }, small);
    // Below: 640 x 420 (the most); beside: 394 x 568 would show less.
    expect(w).toEqual({ left: 900 - GAP - 640, top: 148 + GAP, width: 640, height: 600 - 148 - 2 * GAP });
    expectBesideInside(b, w, small);
  });

  it('squeezes the width too when beside the bubble shows the most', () => {
    const narrow = { width: 800, height: 800 };
    const b = { left: 376, top: 376, width: 48, height: 48 };
    const w = anchorWindow(b, { width: 384, height: 700 }, narrow);
    // Beside: 344 x 700; above or below: 384 x 344.
    expect([w.width, w.height]).toEqual([344, 700]);
    expectBesideInside(b, w, narrow);
  });

  it('keeps a wide window inside the viewport horizontally', () => {
    const b = { left: 5, top: 700, width: 48, height: 48 };
    expect(anchorWindow(b, { width: 990, height: 300 }, viewport).left).toBe(GAP);
  });

  it('never covers the bubble or leaves the viewport, wherever the bubble is', () => {
    const page = { width: 1280, height: 800 };
    for (let left = 0; left <= 1280 - 48; left += 61) {
      for (let top = 0; top <= 800 - 48; top += 47) {
        const b = { left, top, width: 48, height: 48 };
        const w = anchorWindow(b, { width: 384, height: 700 }, page);
        expectBesideInside(b, w, page);
        // Full size wherever some side has room for it: 384 wide beside, 700 tall above or below.
        const roomy = top - 2 * GAP >= 700 || 800 - top - 48 - 2 * GAP >= 700 || left - 2 * GAP >= 384 || 1280 - left - 48 - 2 * GAP >= 384;
        if (roomy) expect([w.width, w.height]).toEqual([384, 700]);
      }
    }
  });
});

describe('parseStoredPosition', () => {
  it.each([
    [null, null],
    ['', null],
    ['{bad json', null],
    ['{"left":"1","bottom":2}', null],
    ['{"left":1,"bottom":null}', null],
    ['{"left":12.5,"bottom":40}', { left: 12.5, bottom: 40 }],
  ])('%j → %j', (raw, expected) => {
    expect(parseStoredPosition(raw)).toEqual(expected);
  });
});
