/**
 * Warm-up of the answer path, in idle time after the boot: the first real answer must not pay
 * for compiling marked's regular expressions, nor for the first run of the stream reader, the
 * parser, the event checks, the reducer and the markdown components (~15-20 ms on a slow
 * machine, between its first token and its paint). Nothing here touches the network or the store.
 */
import { toPayload } from '../api/client.ts';
import type { Http } from '../api/http.ts';
import { streamChat } from '../api/stream.ts';
import type { StreamEvent } from '../api/stream-events.ts';
import { warmWhenIdle } from '../markdown/index.ts';
import { emptyAnswer, type Answer } from '../state/answer.ts';
import { reduceAnswer } from '../state/reduce.ts';

const SAMPLE_IDS = '"conversation_id":"c","message_id":"m","task_id":"t","id":"m","created_at":0';
/** A two-event answer, as a chat app streams it (docs/PROTOCOL.md §3). */
const SAMPLE_STREAM = `data: {"event":"message","answer":"Hi",${SAMPLE_IDS}}\n\ndata: {"event":"message_end","metadata":{},${SAMPLE_IDS}}\n\n`;

/** A server held in memory that answers any question with the sample stream. */
const sampleServer: Pick<Http, 'request'> = {
  request: async () => new Response(SAMPLE_STREAM, { headers: { 'content-type': 'text/event-stream' } }),
};

/** Streams the sample answer through the real reader and reducer; resolves with what they made of it. */
export function warmAnswerStream(): Promise<Answer> {
  let answer = emptyAnswer();
  const reduce = (event: StreamEvent) => void (answer = reduceAnswer(answer, event));
  return streamChat(sampleServer, toPayload({ query: '', inputs: {} }), { onEvent: reduce }).then(
    () => answer,
    () => answer,
  );
}

/** Warms the markdown path, then the stream path, one step per idle callback. Returns a cancel function. */
export function warmUpWhenIdle(): () => void {
  return warmWhenIdle([() => void warmAnswerStream()]);
}
