import { parseJson } from './json.ts';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ApiError, apiErrorFromFields, apiErrorFromHttp, badResponse, toApiError } from './errors.ts';
import { linkSignal, type Http, type RequestOptions } from './http.ts';
import { isAnswerComplete, type ErrorEvent, type StreamEvent } from './stream-events.ts';
import type { ChatMessagePayload } from './types.ts';
import type { WorkflowFinishedEvent } from './workflow-events.ts';

/**
 * The answer stream of `POST /api/chat-messages` (docs/PROTOCOL.md §3):
 * bytes → `TextDecoder` (stream mode, so a character split across chunks survives) →
 * eventsource-parser → `JSON.parse` of each `data` → typed {@link StreamEvent}.
 */

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export interface StreamChatOptions {
  /** Receives every event, in order, synchronously as it is parsed. */
  onEvent: (event: StreamEvent) => void;
  signal?: AbortSignal | undefined;
  /**
   * Longest silence allowed, in ms: no byte at all — not even Dify's `event: ping`, sent every
   * ~10 s (§3.1) — for this long aborts the request. Also bounds the wait for response headers.
   */
  idleTimeoutMs?: number | undefined;
  /** Told before each automatic retry of a busy or failing server, before the stream started. */
  onRetry?: RequestOptions['onRetry'];
}

export interface StreamChatResult {
  /**
   * Set when the stream ended with an `error` event (§3.5); that event was also passed to
   * `onEvent`. The stream itself completed normally.
   */
  error: ApiError | null;
}

/**
 * Send a chat message and stream the answer.
 *
 * Resolves only when the stream reached its end *after* a terminal event: `message_end` (for a
 * chatflow: together with `workflow_finished`, in either order, §3.3.2), `error`, a failed
 * `workflow_finished`, or `workflow_paused`. Everything else rejects with an `ApiError`:
 * - before the stream: the HTTP error mapping (after the helper's re-mint and retries);
 * - `aborted` when `signal` fires (at any point);
 * - `timeout` when the server stays silent for `idleTimeoutMs`;
 * - `network` when the connection drops mid-stream, **or when the stream ends without a terminal
 *   event**; both have `interrupted: true` — the UI keeps the partial answer and marks it
 *   "interrupted" (`timeout` and `aborted` also carry `interrupted: true` once the stream's
 *   headers arrived: the server has the question).
 *
 * If the server keeps the connection open after the terminal event, the idle timer ends the
 * read and the call resolves normally. An exception thrown by `onEvent` stops the stream and is
 * rethrown unchanged (it is a bug in the caller, not a network condition).
 */
export async function streamChat(
  http: Pick<Http, 'request'>,
  payload: ChatMessagePayload,
  options: StreamChatOptions,
): Promise<StreamChatResult> {
  const { onEvent, signal } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const controller = new AbortController();
  const unlink = linkSignal(signal, controller);
  const terminal = trackTerminal();
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let started = false;

  // Cancelling the reader unblocks a pending read() even with fetch polyfills that ignore the signal.
  const cancelReader = () => void reader?.cancel().catch(() => {});
  controller.signal.addEventListener('abort', cancelReader, { once: true });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, idleTimeoutMs);
  };
  const failure = (cause: unknown): ApiError => toApiError(cause, { aborted: signal?.aborted === true, timedOut, interrupted: started });

  try {
    let response: Response;
    try {
      response = await http.request('/chat-messages', {
        method: 'POST',
        json: payload,
        signal: controller.signal,
        timeoutMs: idleTimeoutMs,
        accept: 'text/event-stream',
        onRetry: options.onRetry,
      });
    } catch (err) {
      throw failure(err);
    }
    await rejectNonStream(response);
    if (!response.body)
      throw badResponse('an event stream', { status: response.status, contentType: response.headers.get('content-type'), bodyText: '' });
    // The server took the question: from here a failure cuts an answer, it is not "offline".
    // Events may have arrived unread, too: Chromium drops body bytes not yet read when the
    // connection then fails, so "no event parsed" does not mean "nothing was answered".
    started = true;

    const parser = createParser({
      onEvent: (message) => {
        const event = toStreamEvent(message);
        if (!event) return;
        terminal.see(event);
        onEvent(event);
      },
      // Unknown fields (a proxy's junk line, a future server's field) must not stop the stream.
      onError: (err) => console.debug('[dify-chatbot] ignored a stream line:', err.message),
    });
    const decoder = new TextDecoder();
    reader = response.body.getReader();
    if (controller.signal.aborted) cancelReader();
    arm();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (timedOut && terminal.complete()) break;
        throw failure(err);
      }
      if (controller.signal.aborted) {
        // A server that keeps the connection open after the terminal event: we are done.
        if (timedOut && terminal.complete() && !signal?.aborted) break;
        throw failure(null);
      }
      if (chunk.done) break;
      arm();
      parser.feed(decoder.decode(chunk.value, { stream: true }));
    }
    parser.feed(decoder.decode());
    // Dispatch a last event whose blank line never came (the newest client flushes at EOF, §3.6).
    parser.feed('\n\n');
    if (!terminal.complete()) {
      throw new ApiError({
        kind: 'network',
        interrupted: true,
        message: 'The connection closed before the answer was complete.',
      });
    }
    const errorEvent = terminal.error();
    return { error: errorEvent ? errorFromEvent(errorEvent) : null };
  } finally {
    clearTimeout(timer);
    unlink();
    controller.signal.removeEventListener('abort', cancelReader);
    if (reader) cancelReader();
  }
}

/**
 * A 2xx that is not an event stream: a JSON error body (some proxies and the newest blocking
 * handoff), or an HTML page. Rejects with the mapped error; resolves for anything stream-like.
 */
async function rejectNonStream(response: Response): Promise<void> {
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType || /text\/event-stream/i.test(contentType)) return;
  if (!/json|html/i.test(contentType)) return;
  const bodyText = await response.text().catch(() => '');
  const input = { status: response.status, contentType, bodyText };
  const fields = parseErrorFields(bodyText);
  if (fields) throw apiErrorFromHttp({ ...input, status: fields.status }, { path: '/chat-messages' });
  throw badResponse('an event stream', input);
}

function parseErrorFields(text: string): { status: number } | null {
  try {
    const value: unknown = parseJson(text);
    if (!isRecord(value)) return null;
    const status = typeof value.status === 'number' ? value.status : 0;
    return status >= 400 || typeof value.code === 'string' ? { status: status >= 400 ? status : 500 } : null;
  } catch {
    return null;
  }
}

/**
 * Turn one SSE message into a typed event, or null to skip it. Follows the newest Dify client
 * (§3.6): a malformed line is skipped with a warning (the stream goes on); a payload with
 * `status >= 400` or without `event` but with a `code` is an `error` event; other payloads
 * without an `event` name are skipped.
 */
export function toStreamEvent(message: EventSourceMessage): StreamEvent | null {
  let value: unknown;
  try {
    value = parseJson(message.data);
  } catch {
    console.warn('[dify-chatbot] skipped a malformed stream event:', preview(message.data));
    return null;
  }
  if (!isRecord(value)) {
    console.warn('[dify-chatbot] skipped a stream event that is not an object:', preview(message.data));
    return null;
  }
  const name = typeof value.event === 'string' && value.event ? value.event : null;
  const status = typeof value.status === 'number' ? value.status : undefined;
  if (name === 'error' || (status !== undefined && status >= 400) || (name === null && typeof value.code === 'string')) {
    return {
      ...value,
      event: 'error',
      code: typeof value.code === 'string' ? value.code : 'unknown',
      status: status ?? 500,
      message: typeof value.message === 'string' ? value.message : '',
    } as ErrorEvent;
  }
  if (name === null) {
    console.warn('[dify-chatbot] skipped a stream event without a name:', preview(message.data));
    return null;
  }
  return value as StreamEvent;
}

/** The `ApiError` an `error` event stands for (same mapping as HTTP errors, docs/PROTOCOL.md §3.5). */
export function errorFromEvent(event: ErrorEvent): ApiError {
  return apiErrorFromFields({ status: event.status, code: event.code, message: event.message });
}

/**
 * Decides when a stream has said all it will: an `error`, a `workflow_paused`, a failed
 * `workflow_finished`, or a complete answer ({@link isAnswerComplete}, the reducer's rule too).
 */
function trackTerminal() {
  let messageEnd = false;
  let chatflow = false;
  let workflowFinished = false;
  /** A paused or failed workflow: the stream ends without `message_end`. */
  let endedEarly = false;
  let error: ErrorEvent | null = null;
  return {
    see(event: StreamEvent): void {
      const name = event.event;
      if (name === 'message_end') messageEnd = true;
      else if (name === 'workflow_started') chatflow = true;
      else if (name === 'workflow_paused') endedEarly = true;
      else if (name === 'error') error = event as ErrorEvent;
      else if (name === 'workflow_finished') {
        workflowFinished = true;
        // 1.12.1 follows a failed run with an `error` event and no `message_end`; accept the
        // failure itself as the end in case that event never comes.
        if ((event as WorkflowFinishedEvent).data?.status === 'failed') endedEarly = true;
      }
    },
    error: () => error,
    complete: () => error !== null || endedEarly || isAnswerComplete(messageEnd, chatflow, workflowFinished),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
