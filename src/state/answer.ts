import type { AgentThoughtEvent, WorkflowFile } from '../api/stream-events.ts';
import type { HistoryAgentThought, HistoryMessage, HistoryMessageFile, LLMUsage, Rating, RetrieverResource } from '../api/types.ts';

/**
 * The answer model the UI renders: plain, immutable data. Built live by `reduceAnswer` from stream
 * events, or at once from a history item by {@link answerFromHistory}. No DOM, no signals.
 */

/**
 * - `waiting`: sent, nothing shown yet; `streaming`: content is arriving;
 * - `done` / `error`: the server ended it; `stopped`: the visitor (or the server's time limit)
 *   stopped it; `interrupted`: the connection was cut — the partial text stays;
 * - `paused`: a chatflow waits for a human-input form (newer servers, docs/PROTOCOL.md §3.3).
 */
export type AnswerStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'interrupted' | 'error' | 'paused';

export interface AgentThought {
  id: string;
  /** 1-based round of the agent. */
  position: number;
  thought: string;
  /** Tool names joined by `;` (docs/PROTOCOL.md §3.3); empty when the round called no tool. */
  tool: string;
  toolLabels: Record<string, Record<string, string>>;
  /** JSON string `{tool: args}`. */
  toolInput: string;
  /** JSON string `{tool: result}`. */
  observation: string;
  /** Ids of `message_file`s this round produced. */
  fileIds: string[];
}

export interface AnswerFile {
  id: string;
  type: string;
  /** Signed, possibly relative to the API origin (docs/PROTOCOL.md §2.10). */
  url: string;
  belongsTo: 'assistant' | 'user';
  filename?: string;
  mimeType?: string;
}

export interface WorkflowNode {
  /** Node execution id. */
  id: string;
  nodeId: string;
  nodeType: string;
  title: string;
  index: number;
  status: 'running' | 'succeeded' | 'failed' | 'exception' | 'stopped' | 'retry' | string;
  elapsedTime?: number;
  error?: string | null;
  /** The iteration or loop execution this node runs in. */
  parentId?: string | null;
  iterationIndex?: number;
  retryIndex?: number;
}

/** An iteration or loop node's progress (`iteration_*` / `loop_*` events). */
export interface LoopRun {
  id: string;
  kind: 'iteration' | 'loop';
  nodeId: string;
  title: string;
  status: 'running' | 'succeeded' | 'failed' | string;
  /** Index of the round in progress (from `*_next`). */
  index: number;
  elapsedTime?: number;
  error?: string | null;
}

/** An Agent node's log line (`agent_log`), replaced by id. */
export interface AgentLogEntry {
  id: string;
  nodeId: string;
  nodeExecutionId: string;
  parentId: string | null;
  label: string;
  status: string;
  error: string | null;
}

/** A human-input form a paused chatflow waits for (newer servers). */
export interface HumanInputForm {
  formId: string;
  formToken: string;
  nodeId: string;
  nodeTitle: string;
  content: string;
  inputs: Array<{ type: string; output_variable_name: string; default?: unknown }>;
  actions: Array<{ id: string; title: string; button_style?: string }>;
  expirationTime: number | null;
  state: 'required' | 'filled' | 'timeout';
}

export interface WorkflowRun {
  runId: string;
  status: 'running' | 'succeeded' | 'failed' | 'partial-succeeded' | 'stopped' | 'paused' | string;
  nodes: WorkflowNode[];
  iterations: LoopRun[];
  agentLogs: AgentLogEntry[];
  forms: HumanInputForm[];
  error?: string | null;
  elapsedTime?: number;
}

export interface AnswerError {
  code: string;
  message: string;
  status?: number;
}

export interface Answer {
  messageId: string | null;
  conversationId: string | null;
  taskId: string | null;
  /** Unix seconds: the message's creation time, the same in every event (§3.1). */
  createdAt: number | null;
  /**
   * The answer body (markdown source). For agent apps this is the concatenated `agent_message`
   * text — the same as the history's `answer` — while `thoughts` carry the per-round details.
   */
  text: string;
  /** `reasoning_chunk` text; `<think>…</think>` sections arrive inside `text` instead. */
  reasoning: string;
  /** Ordered by position; replaced by id. */
  thoughts: AgentThought[];
  files: AnswerFile[];
  workflow: WorkflowRun | null;
  /** The `reason` of a `message_replace` (e.g. `output_moderation`). */
  replacedReason: string | null;
  retrieverResources: RetrieverResource[];
  annotation: { id: string; authorName?: string } | null;
  usage: LLMUsage | null;
  /** The visitor's rating (from history, or set by the feedback action). */
  feedback: Rating | null;
  status: AnswerStatus;
  error: AnswerError | null;
  gotMessageEnd: boolean;
  gotWorkflowFinished: boolean;
}

/** A fresh answer, before the first event. */
export function emptyAnswer(): Answer {
  return {
    messageId: null,
    conversationId: null,
    taskId: null,
    createdAt: null,
    text: '',
    reasoning: '',
    thoughts: [],
    files: [],
    workflow: null,
    replacedReason: null,
    retrieverResources: [],
    annotation: null,
    usage: null,
    feedback: null,
    status: 'waiting',
    error: null,
    gotMessageEnd: false,
    gotWorkflowFinished: false,
  };
}

/** The question half of a history turn. */
export interface HistoryQuestion {
  /** The message id (a turn is one message: query + answer). */
  messageId: string;
  text: string;
  files: AnswerFile[];
  /** null for a root, and for legacy linear history (the all-zero uuid, §2.7). */
  parentMessageId: string | null;
  createdAt: number;
  inputs: Record<string, unknown>;
}

const LEGACY_PARENT = '00000000-0000-0000-0000-000000000000';

/**
 * Rebuild one turn from a `GET /api/messages` item (docs/PROTOCOL.md §2.7), the way the official UI does:
 * user files go to the question, assistant files, thoughts, feedback and citations to the answer;
 * `status: "error"` gives an error answer that keeps whatever text was saved.
 */
export function answerFromHistory(item: HistoryMessage): { question: HistoryQuestion; answer: Answer } {
  const files = (item.message_files ?? []).map(fileFromHistory);
  const failed = item.status === 'error';
  const metadata = item.metadata ?? null;
  const annotation = metadata?.annotation_reply;
  const answer: Answer = {
    ...emptyAnswer(),
    messageId: item.id,
    conversationId: item.conversation_id,
    createdAt: item.created_at,
    text: item.answer ?? '',
    thoughts: sortThoughts((item.agent_thoughts ?? []).map(thoughtFromWire)),
    files: files.filter((file) => file.belongsTo === 'assistant'),
    retrieverResources: item.retriever_resources ?? metadata?.retriever_resources ?? [],
    annotation: annotation ? annotationFromWire(annotation) : null,
    usage: metadata?.usage ?? null,
    feedback: item.feedback?.rating ?? null,
    status: failed ? 'error' : 'done',
    error: failed ? { code: 'message_error', message: item.error ?? '' } : null,
    gotMessageEnd: true,
  };
  const parent = item.parent_message_id;
  return {
    question: {
      messageId: item.id,
      text: item.query,
      files: files.filter((file) => file.belongsTo === 'user'),
      parentMessageId: parent && parent !== LEGACY_PARENT ? parent : null,
      createdAt: item.created_at,
      inputs: item.inputs ?? {},
    },
    answer,
  };
}

// ---------------------------------------------------------------------------------------------
// Wire → model mappers shared with the reducer

/** An `agent_thought` event or a history thought as an {@link AgentThought}; nulls become "". */
export function thoughtFromWire(wire: AgentThoughtEvent | HistoryAgentThought): AgentThought {
  const fileIds = 'message_files' in wire ? wire.message_files : 'files' in wire ? wire.files : null;
  return {
    id: wire.id,
    position: wire.position,
    thought: wire.thought ?? '',
    tool: wire.tool ?? '',
    toolLabels: wire.tool_labels ?? {},
    toolInput: wire.tool_input ?? '',
    observation: wire.observation ?? '',
    fileIds: fileIds ?? [],
  };
}

/** Stable sort by position (thoughts of equal position keep arrival order). */
export function sortThoughts(thoughts: AgentThought[]): AgentThought[] {
  return thoughts
    .map((thought, arrival) => [thought, arrival] as const)
    .sort((left, right) => left[0].position - right[0].position || left[1] - right[1])
    .map(([thought]) => thought);
}

function fileFromHistory(wire: HistoryMessageFile): AnswerFile {
  const file: AnswerFile = { id: wire.id, type: wire.type, url: wire.url, belongsTo: wire.belongs_to === 'user' ? 'user' : 'assistant' };
  if (wire.filename) file.filename = wire.filename;
  if (wire.mime_type) file.mimeType = wire.mime_type;
  return file;
}

/** A workflow file dict (chatflow `message_end.files`) as an assistant file; null without id or url. */
export function fileFromWorkflow(wire: WorkflowFile): AnswerFile | null {
  const id = wire.id ?? wire.related_id;
  const url = wire.url ?? wire.remote_url;
  if (!id || !url) return null;
  const file: AnswerFile = { id, type: wire.type ?? 'custom', url, belongsTo: 'assistant' };
  if (wire.filename) file.filename = wire.filename;
  if (wire.mime_type) file.mimeType = wire.mime_type;
  return file;
}

export function annotationFromWire(wire: { id: string; account?: { name?: string } | null }): { id: string; authorName?: string } {
  const name = wire.account?.name;
  return name ? { id: wire.id, authorName: name } : { id: wire.id };
}
