import { moveBubble, type BubblePosition, type Size } from './position.ts';

/** A move shorter than this is a click, as in Dify's embed (docs/PROTOCOL.md §5.2). */
export const DRAG_THRESHOLD = 8;
/** Arrow-key step, and the larger step with Shift. */
export const KEY_STEP = 16;
export const KEY_STEP_LARGE = 64;

export interface DragOptions {
  axis: 'x' | 'y' | 'both';
  /** Current bubble position measured from the page (used when a gesture starts). */
  measure(): { position: BubblePosition; bubble: Size; viewport: Size };
  onMove(position: BubblePosition): void;
  onDragStart(): void;
  onDragEnd(position: BubblePosition): void;
}

/**
 * Pointer-event dragging for mouse, touch and pen. Returns the handlers to spread on the button
 * and a `consumeClick()` that tells the click handler whether the click ends a drag (and must
 * therefore not toggle the window).
 */
export function createDragHandlers(options: DragOptions) {
  let gesture: {
    id: number;
    x: number;
    y: number;
    start: BubblePosition;
    bubble: Size;
    viewport: Size;
    dragging: boolean;
    last: BubblePosition;
  } | null = null;
  let suppressClick = false;

  const end = (event: PointerEvent) => {
    if (!gesture || event.pointerId !== gesture.id) return;
    const { dragging, last } = gesture;
    gesture = null;
    if (dragging) {
      suppressClick = true;
      // A click that never comes (pointer released off the button) must not swallow the next one.
      setTimeout(() => (suppressClick = false), 0);
      options.onDragEnd(last);
    }
  };

  return {
    onPointerDown(event: PointerEvent) {
      if (event.button !== 0 || !event.isPrimary) return;
      // Capture now, not at the threshold: a quick flick leaves the 48px button before the
      // threshold is crossed, and its moves would otherwise go to the page.
      (event.currentTarget as Element | null)?.setPointerCapture?.(event.pointerId);
      const { position, bubble, viewport } = options.measure();
      gesture = {
        id: event.pointerId,
        x: event.clientX,
        y: event.clientY,
        start: position,
        bubble,
        viewport,
        dragging: false,
        last: position,
      };
    },
    onPointerMove(event: PointerEvent) {
      if (!gesture || event.pointerId !== gesture.id) return;
      const dx = event.clientX - gesture.x;
      const dy = event.clientY - gesture.y;
      if (!gesture.dragging) {
        if (Math.hypot(dx, dy) <= DRAG_THRESHOLD) return;
        gesture.dragging = true;
        options.onDragStart();
      }
      event.preventDefault();
      gesture.last = moveBubble(gesture.start, dx, dy, options.axis, gesture.bubble, gesture.viewport);
      options.onMove(gesture.last);
    },
    onPointerUp: end,
    onPointerCancel: end,
    /** True when this click is the tail of a drag and must be ignored. */
    consumeClick(): boolean {
      const suppressed = suppressClick;
      suppressClick = false;
      return suppressed;
    },
    /** Arrow keys move the bubble by one step (a larger one with Shift). Returns true when handled. */
    onKey(event: KeyboardEvent): boolean {
      const step = event.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
      const horizontal = { ArrowLeft: -step, ArrowRight: step }[event.key];
      const vertical = { ArrowUp: -step, ArrowDown: step }[event.key];
      // A key along the axis the bubble may not move is left to the page.
      if (horizontal ? options.axis === 'y' : !vertical || options.axis === 'x') return false;
      const { position, bubble, viewport } = options.measure();
      const next = moveBubble(position, horizontal ?? 0, vertical ?? 0, options.axis, bubble, viewport);
      options.onMove(next);
      options.onDragEnd(next);
      return true;
    },
  };
}
