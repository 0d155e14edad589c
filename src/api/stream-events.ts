/**
 * Wire types of the answer stream (docs/PROTOCOL.md §3): the chat-family events, the union of every
 * event this widget knows, and the rule for when the events say an answer is complete. The
 * workflow family (chatflow apps) is in workflow-events.ts. Field names are Dify's, as in types.ts.
 */
import type { MessageMetadata } from './types.ts';
import type {
  AgentLogEvent,
  HumanInputFormFilledEvent,
  HumanInputFormTimeoutEvent,
  HumanInputRequiredEvent,
  IterationEvent,
  LoopEvent,
  NodeFinishedEvent,
  NodeRetryEvent,
  NodeStartedEvent,
  ParallelBranchEvent,
  TextChunkEvent,
  TextReplaceEvent,
  WorkflowFinishedEvent,
  WorkflowMaintenancePausedEvent,
  WorkflowPausedEvent,
  WorkflowStartedEvent,
} from './workflow-events.ts';

/** Wrapper fields every chat-family event has (docs/PROTOCOL.md §3.2); `error` has no `task_id`. */
export interface EventBase {
  conversation_id?: string;
  message_id?: string;
  created_at?: number;
  task_id?: string;
}

export interface MessageEvent extends EventBase {
  event: 'message';
  /** = message_id */
  id?: string;
  answer: string;
  from_variable_selector?: string[] | null;
}

export interface AgentMessageEvent extends EventBase {
  event: 'agent_message';
  id?: string;
  answer: string;
}

export interface AgentThoughtEvent extends EventBase {
  event: 'agent_thought';
  /** The thought's id (not the message id). */
  id: string;
  position: number;
  thought?: string | null;
  observation?: string | null;
  /** Tool names joined by `;`. */
  tool?: string | null;
  tool_labels?: Record<string, Record<string, string>> | null;
  /** JSON string `{tool: args}`. */
  tool_input?: string | null;
  message_files?: string[] | null;
}

export interface MessageFileEvent extends EventBase {
  event: 'message_file';
  id: string;
  type: string;
  belongs_to?: 'assistant' | 'user' | null;
  url: string;
}

/** A file dict as workflows emit it (chatflow `message_end.files`, node/workflow outputs). */
export interface WorkflowFile {
  id?: string | null;
  related_id?: string | null;
  type?: string;
  transfer_method?: string;
  filename?: string;
  extension?: string | null;
  mime_type?: string | null;
  size?: number;
  url?: string | null;
  remote_url?: string | null;
  [key: string]: unknown;
}

export interface MessageEndEvent extends EventBase {
  event: 'message_end';
  id?: string;
  metadata?: MessageMetadata | null;
  /** null for chat/agent; a list for chatflow. */
  files?: WorkflowFile[] | null;
}

export interface MessageReplaceEvent extends EventBase {
  event: 'message_replace';
  answer: string;
  reason?: string;
}

export interface TtsMessageEvent extends EventBase {
  event: 'tts_message' | 'tts_message_end';
  /** base64 MP3 chunk; `""` on the end event. */
  audio: string;
}

export interface ErrorEvent extends EventBase {
  event: 'error';
  code: string;
  status: number;
  message: string;
}

export interface PingEvent extends EventBase {
  event: 'ping';
}

/** Newer servers: LLM node with `reasoning_format: separated` (§3.3). */
export interface ReasoningChunkEvent extends EventBase {
  event: 'reasoning_chunk';
  data: { message_id?: string; reasoning: string; node_id?: string; is_final?: boolean };
}

/** Every event of docs/PROTOCOL.md §3.3 this widget knows. */
export type KnownStreamEvent =
  | MessageEvent
  | AgentMessageEvent
  | AgentThoughtEvent
  | MessageFileEvent
  | MessageEndEvent
  | MessageReplaceEvent
  | TtsMessageEvent
  | ErrorEvent
  | PingEvent
  | WorkflowStartedEvent
  | NodeStartedEvent
  | NodeFinishedEvent
  | NodeRetryEvent
  | IterationEvent
  | LoopEvent
  | AgentLogEvent
  | WorkflowFinishedEvent
  | TextChunkEvent
  | TextReplaceEvent
  | ReasoningChunkEvent
  | HumanInputRequiredEvent
  | HumanInputFormFilledEvent
  | HumanInputFormTimeoutEvent
  | WorkflowPausedEvent
  | WorkflowMaintenancePausedEvent
  | ParallelBranchEvent;

export type KnownEventName = KnownStreamEvent['event'];

/** An event from a newer server that this widget does not know yet (kept, never dropped). */
export interface UnknownStreamEvent extends EventBase {
  event: string;
  [key: string]: unknown;
}

/**
 * What the stream yields. Narrow with {@link isKnownStreamEvent} before switching on `event`:
 * the `string` of the unknown fallback would otherwise swallow every literal.
 */
export type StreamEvent = KnownStreamEvent | UnknownStreamEvent;

const KNOWN_EVENT_NAMES: ReadonlySet<string> = new Set<KnownEventName>([
  'message',
  'agent_message',
  'agent_thought',
  'message_file',
  'message_end',
  'message_replace',
  'tts_message',
  'tts_message_end',
  'error',
  'ping',
  'workflow_started',
  'node_started',
  'node_finished',
  'node_retry',
  'iteration_started',
  'iteration_next',
  'iteration_completed',
  'loop_started',
  'loop_next',
  'loop_completed',
  'agent_log',
  'workflow_finished',
  'text_chunk',
  'text_replace',
  'reasoning_chunk',
  'human_input_required',
  'human_input_form_filled',
  'human_input_form_timeout',
  'workflow_paused',
  'workflow_maintenance_paused',
  'parallel_branch_started',
  'parallel_branch_finished',
]);

/** True when the event is one of docs/PROTOCOL.md §3.3's; narrows to the discriminated union. */
export function isKnownStreamEvent(event: StreamEvent): event is KnownStreamEvent {
  return KNOWN_EVENT_NAMES.has(event.event);
}

/**
 * The one rule for a complete answer (docs/PROTOCOL.md §3.3.2), shared by the stream reader (when
 * may the stream end) and the reducer (when is the answer done): chat and agent apps end with
 * `message_end`; a chatflow (its run started) also needs `workflow_finished`, in either order.
 */
export function isAnswerComplete(messageEnd: boolean, chatflow: boolean, workflowFinished: boolean): boolean {
  return messageEnd && (!chatflow || workflowFinished);
}
