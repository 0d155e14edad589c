import { useLayoutEffect } from 'preact/hooks';
import type { Strings } from '../i18n/strings.ts';
import { SendIcon, StopIcon } from './icons.tsx';

export interface ComposerProps {
  strings: Strings;
  draft: string;
  placeholder?: string | undefined;
  busy: boolean;
  /**
   * Why nothing can be sent (the chat is unavailable), or nothing. The box then keeps the draft,
   * read-only but focusable (Send is disabled), and says why as its accessible description.
   */
  unavailable?: string | undefined;
  onDraft(text: string): void;
  onSend(text: string): void;
  onStop(): void;
  inputRef: { current: HTMLTextAreaElement | null };
}

const MAX_ROWS_HEIGHT = 160;

/**
 * The message box: Enter sends, Shift+Enter adds a line (and IME composition never sends).
 * The text stays in the draft until the question is accepted, so nothing typed is lost.
 */
export function Composer({ strings, draft, placeholder, busy, unavailable, onDraft, onSend, onStop, inputRef }: ComposerProps) {
  useLayoutEffect(() => {
    // Grow with the text up to a limit, then scroll.
    const el = inputRef.current;
    if (!el) return;
    el.style.height = '';
    // Rendered while the window is still hidden there is nothing to measure: keep rows=1.
    if (el.scrollHeight > el.clientHeight) el.style.height = `${Math.min(el.scrollHeight, MAX_ROWS_HEIGHT)}px`;
  }, [draft]);

  const canSend = draft.trim().length > 0 && !busy && !unavailable;
  const submit = () => {
    if (canSend) onSend(draft);
  };
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label class="sr-only" for="dcb-composer">
        {strings.messageLabel}
      </label>
      <textarea
        id="dcb-composer"
        ref={inputRef}
        rows={1}
        value={draft}
        placeholder={placeholder || strings.placeholder}
        readOnly={!!unavailable}
        aria-disabled={!!unavailable}
        aria-description={unavailable}
        enterkeyhint="send"
        onInput={(event) => onDraft((event.currentTarget as HTMLTextAreaElement).value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            // Straight to the send, not through requestSubmit(): its submit event costs ~1 ms
            // before the question's request can leave.
            submit();
          }
        }}
      />
      {busy ? (
        <button type="button" class="send-button stop" aria-label={strings.stop} title={strings.stop} onClick={onStop}>
          <StopIcon />
        </button>
      ) : (
        <button type="submit" class="send-button" aria-label={strings.send} title={strings.send} disabled={!canSend}>
          <SendIcon />
        </button>
      )}
    </form>
  );
}
