/**
 * Dify releases whose web-API wire shapes differ (docs/PROTOCOL.md, "Newer releases"). Each demo app
 * speaks one era, set in demo/apps.json and switchable through POST /__mock/apps/<code> {era}:
 *
 * - `1.12`   Dify 1.12.1, the baseline: chatflows stream from the API process, full metadata.
 * - `1.13.0` chatflows stream from a pub/sub topic: a leading ping, the stream closes at
 *            `workflow_finished`/`workflow_paused` (so a success loses its trailing `message_end`),
 *            errors before the run are a 200 stream with a code-less `error` held open by pings.
 * - `1.13.1` 1.13.1–1.13.2: `message_end` before `workflow_finished`, web metadata stripped (no usage,
 *            no annotation_reply, retriever resources cut to six fields), `message_end.files` a list
 *            for chat and agent apps, `not_chat_app` for suggested questions on non-chat apps.
 * - `1.16`   1.13.3 to 1.16.1: as 1.13.1 with the wider retriever resource, plus the 1.15/1.16
 *            additions: New Agent apps (mode `agent`) and human-input forms with select and file inputs.
 */
export const ERAS = ['1.12', '1.13.0', '1.13.1', '1.16'] as const;
export type Era = (typeof ERAS)[number];

/** The release each era stands for, as QA sees it. */
export const ERA_LABELS: Record<Era, string> = {
  '1.12': 'Dify 1.12.1',
  '1.13.0': 'Dify 1.13.0',
  '1.13.1': 'Dify 1.13.1–1.13.2',
  '1.16': 'Dify 1.13.3–1.16.1',
};

export function isEra(value: unknown): value is Era {
  return typeof value === 'string' && (ERAS as readonly string[]).includes(value);
}

/** Ordinal comparison: `atLeast(era, '1.13.1')`. */
export function atLeast(era: Era, floor: Era): boolean {
  return ERAS.indexOf(era) >= ERAS.indexOf(floor);
}

/** The oldest era an app mode or feature exists in; switching an app below it is refused. */
export function oldestEraFor(mode: string, hasHumanInput: boolean): Era {
  if (mode === 'agent') return '1.16';
  if (hasHumanInput) return '1.13.0';
  return '1.12';
}

/** Chatflow streams come from the job queue's pub/sub topic (1.13.0+). */
export function isPubSubChatflow(mode: string, era: Era): boolean {
  return mode === 'advanced-chat' && atLeast(era, '1.13.0');
}

/**
 * Whether a chatflow's `message_end` is sent before its `workflow_finished`. 1.12 follows the mock's
 * legacy `chatflowOrder` switch; 1.13.0 still sends `workflow_finished` first on success; 1.13.1 flips
 * it. A stopped run always ends `workflow_finished(stopped)` then `message_end`, which the pub/sub
 * stream drops.
 */
export function messageEndFirst(era: Era, legacyOrder: 'v1.12' | 'newest', status: string): boolean {
  if (era === '1.12') return legacyOrder === 'newest';
  if (status === 'stopped') return false;
  return atLeast(era, '1.13.1');
}

/** Web streams lose `usage` and `annotation_reply`, and retriever resources are slimmed (1.13.1+). */
export function stripsWebMetadata(era: Era): boolean {
  return atLeast(era, '1.13.1');
}

/** The fields a slimmed retriever resource keeps: six until 1.13.2, seventeen from 1.13.3. */
export function retrieverFields(era: Era): readonly string[] {
  return era === '1.13.1' ? SHORT_RETRIEVER_FIELDS : WIDE_RETRIEVER_FIELDS;
}

const SHORT_RETRIEVER_FIELDS = ['segment_id', 'position', 'document_name', 'score', 'content', 'summary'];
const WIDE_RETRIEVER_FIELDS = [
  'dataset_id',
  'dataset_name',
  'document_id',
  'segment_id',
  'position',
  'data_source_type',
  'document_name',
  'score',
  'hit_count',
  'word_count',
  'segment_position',
  'index_node_hash',
  'content',
  'page',
  'title',
  'files',
  'summary',
];

/** `message_end.files` lists the message's files for chat and agent apps (1.13.1+). */
export function listsMessageFiles(mode: string, era: Era): boolean {
  return mode !== 'advanced-chat' && atLeast(era, '1.13.1');
}

/** History items carry `extra_contents` and may be `paused` (1.13.0+, with human input). */
export function hasExtraContents(era: Era): boolean {
  return atLeast(era, '1.13.0');
}

/** Human-input forms gained select, file and file-list inputs and `submitted_data` in 1.15. */
export function hasRichFormInputs(era: Era): boolean {
  return era === '1.16';
}
