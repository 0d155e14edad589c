import type { Strings } from '../i18n/strings.ts';
import { ChatIcon, ChevronDownIcon } from './icons.tsx';
import type { createDragHandlers } from './drag.ts';
import type { LauncherState } from './state.ts';

export interface BubbleProps {
  state: LauncherState;
  strings: Strings;
  /** Drag handlers when `draggable` is on. */
  drag: ReturnType<typeof createDragHandlers> | null;
  onToggle(): void;
  /** Pointer over, focus or touch: the visitor may open the chat soon, so start fetching it. */
  onIntent(): void;
  buttonRef: { current: HTMLButtonElement | null };
}

/** The floating chat button: a real `<button>` with its state exposed to assistive technology. */
export function Bubble({ state, strings, drag, onToggle, onIntent, buttonRef }: BubbleProps) {
  const open = state.open.value;
  const failed = state.chatLoad.value === 'failed';
  const label = open ? strings.closeChat : strings.openChat;
  return (
    <button
      type="button"
      ref={buttonRef}
      aria-label={label}
      title={label}
      aria-expanded={open}
      aria-haspopup="dialog"
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
      {open ? <ChevronDownIcon /> : <ChatIcon />}
      {failed && <span class="status" aria-hidden="true" />}
      {drag && (
        <span id="move-hint" class="sr-only">
          {strings.moveHint}
        </span>
      )}
    </button>
  );
}
