import { randomUUID } from 'node:crypto';
import type { StreamEvent } from '../events.ts';
import type { Output, Run } from '../run.ts';
import { countTokens, tokenize, usageBlock } from '../tokens.ts';

/**
 * Streams `text` as 1–4-word deltas, one `make(token)` event per token, until done or stopped.
 * The `answerText` and `answerChunkChars` settings replace the text and the deltas. Returns the
 * text actually sent.
 */
export async function streamText(run: Run, out: Output, text: string, make: (token: string) => StreamEvent): Promise<string> {
  const { answerText, answerChunkChars } = run.settings;
  const body = answerText || text;
  const tokens = answerChunkChars ? (body.match(new RegExp(`[^]{1,${answerChunkChars}}`, 'gu')) ?? []) : tokenize(body);
  let sent = '';
  for (const token of tokens) {
    if (run.stopped) break;
    await out.emit(make(token));
    sent += token;
    await run.tick();
  }
  return sent;
}

/** Direct output (annotation / moderation replies): one event per character, ~10 ms apart (§3.3). */
export async function streamChars(run: Run, out: Output, text: string, make: (token: string) => StreamEvent): Promise<string> {
  let sent = '';
  for (const ch of Array.from(text)) {
    if (run.stopped) break;
    await out.emit(make(ch));
    sent += ch;
    await run.sleep(run.settings.tokenDelayMs === 0 ? 0 : 10);
  }
  return sent;
}

/** `message_end.metadata` as the web app receives it in 1.12.1 (docs/PROTOCOL.md §3.3.1). */
export function endMetadata(
  run: Run,
  answer: string,
  retrieverResources: Record<string, unknown>[] = [],
  annotationReply: Record<string, unknown> | null = null,
): Record<string, unknown> {
  return {
    annotation_reply: annotationReply,
    retriever_resources: retrieverResources,
    usage: usageBlock(countTokens(run.query) + 40, countTokens(answer), (Date.now() - run.startedAt) / 1000),
  };
}

export function annotationReply(): Record<string, unknown> {
  return { id: randomUUID(), account: { id: '0d8b1a52-8f3e-4c7b-9e21-5a6c7d8e9f01', name: 'Acme Admin' } };
}

export const ANNOTATION_TEXT = 'This reply comes from an annotation that a human curated in Dify, sent one character at a time.';

/** A signed-looking tool file URL, like `/files/tools/<id>.png?timestamp&nonce&sign` (docs/PROTOCOL.md §6.5). */
export function toolFileUrl(run: Run, id: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = randomUUID().replace(/-/g, '').slice(0, 16);
  return run.fileUrl(`/files/tools/${id}.png?timestamp=${timestamp}&nonce=${nonce}&sign=mock-${nonce}`);
}
