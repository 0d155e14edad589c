/** @jsxRuntime classic */
/** @jsx h */
// Classic JSX: the launcher ships to every page view, and preact's h saves the JSX runtime's bytes.
import { h } from 'preact';
import type { LauncherStrings } from '../i18n/launcher-strings.ts';
import { ChatIcon, ChevronDownIcon } from './icons.tsx';
import type { createDragHandlers } from './drag.ts';
import type { LauncherSnapshot } from './state.ts';

export interface BubbleProps {
  state: LauncherSnapshot;
  strings: LauncherStrings;
  /** Drag handlers when `draggable` is on. */
  drag: ReturnType<typeof createDragHandlers> | null;
  onToggle(): void;
  /** Pointer over, focus or touch: the visitor may open the chat soon, so start fetching it. */
  onIntent(): void;
  buttonRef: { current: HTMLButtonElement | null };
}

/** The floating chat button: a real `<button>` with its state exposed to assistive technology. */
export function Bubble({ state, strings, drag, onToggle, onIntent, buttonRef }: BubbleProps) {
  const { open } = state;
  const failed = state.chatLoad === 'failed';
  // Opening waits for the chat file on a cold click: say so rather than look dead.
  const loading = open && state.chatLoad === 'loading';
  const label = failed ? strings.chatLoadFailed : open ? strings.closeChat : strings.openChat;
  return (
    <button
      type="button"
      ref={buttonRef}
      aria-label={label}
      title={label}
      aria-expanded={open}
      aria-haspopup="dialog"
      aria-busy={loading}
      aria-describedby={drag ? 'move-hint' : undefined}
      onClick={() => {
        if (drag?.consumeClick()) return;
        onToggle();
      }}
      onPointerEnter={onIntent}
      onFocus={onIntent}
      onTouchStart={onIntent}
      onPointerDown={drag?.onPointerDown}
      onPointerMove={drag?.onPointerMove}
      onPointerUp={drag?.onPointerUp}
      onPointerCancel={drag?.onPointerCancel}
      onKeyDown={(event) => {
        if (drag?.onKey(event)) event.preventDefault();
      }}
    >
      {loading ? <span class="spinner" aria-hidden="true" /> : open ? <ChevronDownIcon /> : <ChatIcon />}
      {failed && <span class="status" aria-hidden="true" />}
      {/* Hidden, yet still read as the description: aria-describedby names it directly. */}
      {drag && (
        <span id="move-hint" hidden>
          {strings.moveHint}
        </span>
      )}
    </button>
  );
}
