import type { ReadonlySignal } from '@preact/signals';
import type { Strings } from '../i18n/strings.ts';
import type { TurnFailure } from '../state/failure.ts';
import { failureText } from './failure-text.ts';
import { RetryIcon } from './icons.tsx';

export interface ErrorNoteProps {
  strings: Strings;
  /** A failure, worded here; or `message`, already worded. */
  failure?: TurnFailure | undefined;
  message?: string | undefined;
  /** The browser is offline: the panel's offline note says so already. */
  offline?: ReadonlySignal<boolean> | undefined;
  /** Offered unless the failure is not retryable. */
  onRetry?: (() => void) | undefined;
}

/**
 * A readable error inside the conversation (never an alert box), with Retry when it can help.
 * While the browser is offline, a request that failed for want of a network shows only its Retry:
 * the offline note says why, and saying it twice reads as two problems.
 */
export function ErrorNote({ strings, failure, message, offline, onRetry }: ErrorNoteProps) {
  const saidByOfflineNote = failure?.kind === 'network' && !failure.duringAnswer && offline?.value;
  const text = failure ? (saidByOfflineNote ? '' : failureText(failure, strings)) : message;
  const retry = failure?.retryable === false ? undefined : onRetry;
  return (
    <div class="error-note">
      {text && <p>{text}</p>}
      {retry && (
        <button type="button" class="retry-button" onClick={retry}>
          <RetryIcon size={16} />
          {strings.retry}
        </button>
      )}
    </div>
  );
}
