import type { Answer } from '../state/answer.ts';
import type { TurnFailure } from '../state/store.ts';
import type { Strings } from '../i18n/strings.ts';
import { Markdown } from '../markdown/index.ts';
import { RetryIcon } from './icons.tsx';

export interface AnswerViewProps {
  answer: Answer;
  streamError: TurnFailure | null;
  strings: Strings;
  linkBase: string;
  imageBase: string;
  onRetry?: (() => void) | undefined;
}

/** One answer: its markdown, a typing indicator until the first token, and how it ended. */
export function AnswerView({ answer, streamError, strings, linkBase, imageBase, onRetry }: AnswerViewProps) {
  const streaming = answer.status === 'waiting' || answer.status === 'streaming';
  const hasContent = answer.text !== '' || answer.reasoning !== '';
  return (
    <div class="answer" data-status={answer.status}>
      {answer.status === 'waiting' && !hasContent && (
        <span class="typing" role="status" aria-label={strings.typing}>
          <span />
          <span />
          <span />
        </span>
      )}
      {hasContent && (
        <Markdown
          text={answer.text}
          reasoning={answer.reasoning}
          streaming={streaming}
          linkBase={linkBase}
          imageBase={imageBase}
          strings={{ thinking: strings.thinking, copyCode: strings.copyCode, copied: strings.copied, table: strings.table }}
        />
      )}
      {answer.status === 'stopped' && <p class="answer-note">{strings.stopped}</p>}
      {answer.status === 'interrupted' && !streamError && <p class="answer-note">{strings.interrupted}</p>}
      {(streamError || (answer.status === 'error' && answer.error)) && (
        <ErrorNote
          message={streamError?.message ?? answer.error?.message ?? ''}
          retryLabel={strings.retry}
          onRetry={streamError?.retryable === false ? undefined : onRetry}
        />
      )}
    </div>
  );
}

/** A readable error inside the conversation (never an alert box), with Retry when it can help. */
export function ErrorNote({ message, retryLabel, onRetry }: { message: string; retryLabel: string; onRetry?: (() => void) | undefined }) {
  return (
    <div class="error-note">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="retry-button" onClick={onRetry}>
          <RetryIcon size={16} />
          {retryLabel}
        </button>
      )}
    </div>
  );
}
