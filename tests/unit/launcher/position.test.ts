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

describe('anchorWindow: the window opens on the side of the bubble with room', () => {
  it('bottom-right bubble: window above, right edges aligned', () => {
    const b = { left: 936, top: 736, width: 48, height: 48 };
    expect(anchorWindow(b, windowSize, viewport)).toEqual({ left: 984 - 384, top: 736 - GAP - 600, maxHeight: 736 - 2 * GAP });
  });

  it('top-left bubble: window below, left edges aligned', () => {
    const b = { left: 20, top: 20, width: 48, height: 48 };
    expect(anchorWindow(b, windowSize, viewport)).toEqual({ left: 20, top: 20 + 48 + GAP, maxHeight: 800 - 68 - 2 * GAP });
  });

  it('fits a tall window into the room beside the bubble instead of covering it', () => {
    const b = { left: 0, top: 300, width: 48, height: 48 };
    const a = anchorWindow(b, { width: 384, height: 700 }, viewport);
    expect(a.left).toBe(GAP);
    expect(a.top).toBe(300 + 48 + GAP);
    expect(a.top + a.maxHeight).toBe(viewport.height - GAP);
  });

  it('keeps a wide window inside the viewport horizontally', () => {
    const b = { left: 5, top: 700, width: 48, height: 48 };
    expect(anchorWindow(b, { width: 990, height: 300 }, viewport).left).toBe(GAP);
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
