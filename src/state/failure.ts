import { isRetryable, type ApiError, type ApiErrorKind } from '../api/errors.ts';

/**
 * Why a question got no answer, or why its answer ended early: the API error's kind and details,
 * never a sentence. The view words it in the visitor's language (src/ui/failure-text.ts), so a
 * language switch and a reload both show the right words.
 */
export interface TurnFailure {
  kind: ApiErrorKind;
  /** The server's own words ('' when it sent none): they help where they name what is wrong. */
  serverMessage: string;
  /** The HTTP status, or the `status` of an `error` event. */
  status?: number | undefined;
  /** Whether Retry is offered. */
  retryable: boolean;
  /**
   * The server had the question when it failed: the answer ended with an `error` event, or its
   * stream was cut or went silent after the headers (docs/PROTOCOL.md §3.5).
   */
  duringAnswer: boolean;
}

/** The failure an API error stands for; an interrupted stream's error is one during the answer. */
export function failureOf(error: ApiError, duringAnswer = error.interrupted): TurnFailure {
  const kind = error.kind;
  return {
    kind,
    // Without a status the message is ours (a fetch or timer), not the server's.
    serverMessage: error.status === undefined ? '' : error.message,
    status: error.status,
    retryable: isRetryable(error) || kind === 'unauthorized' || kind === 'rate-limited' || kind === 'invalid-input',
    duringAnswer,
  };
}

/**
 * A failure saved with an unanswered question (persistence.ts), from whatever the storage held:
 * an older release saved a sentence instead of the details, which is dropped. Always retryable:
 * the question is back for its Retry.
 */
export function failureFromStorage(saved: unknown): TurnFailure {
  const { kind, serverMessage, status, duringAnswer } = Object(saved) as Partial<TurnFailure>;
  return {
    kind: kind ?? 'network',
    serverMessage: String(serverMessage ?? ''),
    status,
    retryable: true,
    duringAnswer: duringAnswer === true,
  };
}
