/**
 * Wire types of Dify's web API (`/api`, site token), as described in docs/PROTOCOL.md §2–3.
 * Field names are Dify's (snake_case) on purpose: these are the bytes on the wire, and the state
 * layer maps them to its own model. Anything a server version may omit is optional or nullable.
 */

// ---------------------------------------------------------------------------------------------
// §2.1 GET /api/site

export interface SiteInfo {
  title: string;
  chat_color_theme?: string | null;
  chat_color_theme_inverted?: boolean;
  icon_type?: 'emoji' | 'image' | 'link' | string | null;
  icon?: string | null;
  icon_background?: string | null;
  icon_url?: string | null;
  description?: string | null;
  copyright?: string | null;
  privacy_policy?: string | null;
  /** Newer servers only. */
  input_placeholder?: string | null;
  custom_disclaimer?: string | null;
  default_language?: string;
  prompt_public?: boolean;
  show_workflow_steps?: boolean;
  use_icon_as_answer_icon?: boolean;
}

export interface Site {
  app_id: string;
  end_user_id: string;
  enable_site?: boolean;
  site: SiteInfo;
  model_config?: unknown;
  plan?: string;
  can_replace_logo?: boolean;
  custom_config?: { remove_webapp_brand?: boolean; replace_webapp_logo?: string | null } | null;
}

// ---------------------------------------------------------------------------------------------
// §2.2 GET /api/parameters

export type FileType = 'image' | 'document' | 'audio' | 'video' | 'custom';
export type TransferMethod = 'local_file' | 'remote_url';

/** Fields shared by every `user_input_form` variable (docs/PROTOCOL.md §2.2). */
export interface InputVariableBase {
  variable: string;
  label: string;
  required?: boolean;
  hide?: boolean;
  description?: string | null;
  hint?: string | null;
  placeholder?: string | null;
}
export interface TextInputVariable extends InputVariableBase {
  type?: 'text-input' | 'paragraph';
  default?: string | null;
  max_length?: number | null;
}
export interface SelectVariable extends InputVariableBase {
  type?: 'select';
  options: string[];
  default?: string | null;
}
export interface NumberVariable extends InputVariableBase {
  type?: 'number';
  default?: number | string | null;
  unit?: string | null;
}
export interface CheckboxVariable extends InputVariableBase {
  type?: 'checkbox';
  default?: boolean | null;
}
export interface FileVariable extends InputVariableBase {
  type?: 'file' | 'file-list';
  /** For `file-list`: the maximum number of files. */
  max_length?: number | null;
  allowed_file_types?: FileType[];
  allowed_file_extensions?: string[];
  allowed_file_upload_methods?: TransferMethod[];
}
export interface JsonObjectVariable extends InputVariableBase {
  type?: 'json_object';
  json_schema?: unknown;
  default?: unknown;
}

/**
 * One `user_input_form` item: a single-key object whose key is the variable type.
 * `external_data_tool` appears for easy-UI apps only and is filtered out by the web UI.
 */
export type UserInputFormItem =
  | { 'text-input': TextInputVariable }
  | { paragraph: TextInputVariable }
  | { select: SelectVariable }
  | { number: NumberVariable }
  | { checkbox: CheckboxVariable }
  | { file: FileVariable }
  | { 'file-list': FileVariable }
  | { json_object: JsonObjectVariable }
  | { external_data_tool: InputVariableBase & Record<string, unknown> };

export interface Toggle {
  enabled: boolean;
}

export interface FileUploadConfig {
  enabled?: boolean;
  allowed_file_types?: FileType[];
  allowed_file_extensions?: string[];
  allowed_file_upload_methods?: TransferMethod[];
  number_limits?: number;
  /** Older apps carry only this sub-object. */
  image?: { enabled: boolean; number_limits?: number; detail?: string; transfer_methods?: TransferMethod[] };
  preview_config?: { mode?: 'new_page' | 'current_page' | string; file_type_list?: string[] };
}

export interface AppParameters {
  opening_statement: string | null;
  suggested_questions: string[];
  suggested_questions_after_answer: Toggle;
  speech_to_text: Toggle;
  text_to_speech: Toggle & { voice?: string; language?: string; autoPlay?: 'enabled' | 'disabled' };
  retriever_resource: Toggle;
  annotation_reply: Toggle;
  more_like_this: Toggle;
  user_input_form: UserInputFormItem[];
  sensitive_word_avoidance: Toggle & { type?: string; configs?: unknown[] };
  file_upload: FileUploadConfig | null;
  system_parameters: {
    image_file_size_limit?: number;
    video_file_size_limit?: number;
    audio_file_size_limit?: number;
    file_size_limit?: number;
    workflow_file_upload_limit?: number;
  };
}

// ---------------------------------------------------------------------------------------------
// §2.3 GET /api/meta

export interface AppMeta {
  tool_icons: Record<string, string | { background: string; content: string }>;
}

// ---------------------------------------------------------------------------------------------
// §2.4 POST /api/chat-messages

export interface ChatFileInput {
  type: FileType;
  transfer_method: TransferMethod;
  /** `""` for remote files (what the official UI sends). */
  upload_file_id: string;
  /** `""` for local files. */
  url: string;
}

/** The request body, shaped like the official UI's (docs/PROTOCOL.md §2.4). */
export interface ChatMessagePayload {
  response_mode: 'streaming';
  conversation_id: string;
  files: ChatFileInput[];
  query: string;
  inputs: Record<string, unknown>;
  parent_message_id: string | null;
}

// ---------------------------------------------------------------------------------------------
// §2.6–2.8 Conversations and messages

export interface Paged<T> {
  limit: number;
  has_more: boolean;
  data: T[];
}

export interface Conversation {
  id: string;
  name: string;
  inputs: Record<string, unknown>;
  status: 'normal' | string;
  introduction?: string | null;
  created_at: number;
  updated_at?: number;
}

export type Rating = 'like' | 'dislike';

export interface RetrieverResource {
  id?: string;
  message_id?: string;
  position?: number;
  dataset_id?: string;
  dataset_name?: string;
  document_id?: string;
  document_name?: string;
  data_source_type?: string;
  segment_id?: string;
  retriever_from?: string;
  score?: number | null;
  hit_count?: number | null;
  word_count?: number | null;
  segment_position?: number | null;
  index_node_hash?: string | null;
  content?: string;
  summary?: string | null;
  page?: number | null;
  doc_metadata?: unknown;
  title?: string | null;
  files?: unknown;
  created_at?: number;
}

export interface AnnotationReply {
  id: string;
  account?: { id?: string; name?: string } | null;
}

/** §3.3.1. Prices are decimal strings. */
export interface LLMUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  total_price?: string;
  currency?: string;
  latency?: number;
  [key: string]: unknown;
}

export interface MessageMetadata {
  annotation_reply?: AnnotationReply | null;
  retriever_resources?: RetrieverResource[] | null;
  usage?: LLMUsage | null;
}

export interface HistoryAgentThought {
  id: string;
  chain_id?: string | null;
  message_id?: string;
  position: number;
  thought: string | null;
  tool: string | null;
  tool_labels: Record<string, Record<string, string>> | null;
  tool_input: string | null;
  created_at?: number;
  observation: string | null;
  /** message_file ids */
  files: string[] | null;
}

export interface HistoryMessageFile {
  id: string;
  filename?: string;
  type: string;
  url: string;
  mime_type?: string;
  size?: number;
  transfer_method?: 'local_file' | 'remote_url' | 'tool_file' | string;
  belongs_to: 'user' | 'assistant' | null;
  upload_file_id?: string | null;
}

/** One item of `GET /api/messages` (docs/PROTOCOL.md §2.7). */
export interface HistoryMessage {
  id: string;
  conversation_id: string;
  /** `00000000-0000-0000-0000-000000000000` marks legacy linear history. */
  parent_message_id: string | null;
  inputs: Record<string, unknown>;
  query: string;
  answer: string;
  feedback: { rating: Rating | null } | null;
  retriever_resources: RetrieverResource[] | null;
  created_at: number;
  agent_thoughts: HistoryAgentThought[] | null;
  message_files: HistoryMessageFile[] | null;
  status: 'normal' | 'error' | string;
  error: string | null;
  metadata?: MessageMetadata | null;
}

export interface Success {
  result: 'success';
}

// ---------------------------------------------------------------------------------------------
// §3 The event stream

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

export interface WorkflowEventBase extends EventBase {
  workflow_run_id?: string;
}

export interface WorkflowStartedEvent extends WorkflowEventBase {
  event: 'workflow_started';
  data: {
    id: string;
    workflow_id?: string;
    inputs?: Record<string, unknown>;
    created_at?: number;
    /** Newer servers. */
    reason?: 'initial' | 'resumption' | string;
  };
}

export interface NodeData {
  /** The node execution id. */
  id: string;
  node_id: string;
  node_type: string;
  title: string;
  index: number;
  predecessor_node_id?: string | null;
  inputs?: unknown;
  created_at?: number;
  extras?: Record<string, unknown>;
  iteration_id?: string | null;
  loop_id?: string | null;
  iteration_index?: number | null;
  loop_index?: number | null;
  parallel_id?: string | null;
}

export interface NodeFinishedData extends NodeData {
  process_data?: unknown;
  outputs?: unknown;
  status: 'succeeded' | 'failed' | 'exception' | 'stopped' | 'retry' | string;
  error?: string | null;
  elapsed_time?: number;
  execution_metadata?: unknown;
  finished_at?: number;
  files?: WorkflowFile[];
}

export interface NodeStartedEvent extends WorkflowEventBase {
  event: 'node_started';
  data: NodeData;
}
export interface NodeFinishedEvent extends WorkflowEventBase {
  event: 'node_finished';
  data: NodeFinishedData;
}
export interface NodeRetryEvent extends WorkflowEventBase {
  event: 'node_retry';
  data: NodeFinishedData & { retry_index: number };
}

export interface LoopLikeData {
  id: string;
  node_id: string;
  node_type?: string;
  title?: string;
  created_at?: number;
  extras?: Record<string, unknown>;
  metadata?: unknown;
  inputs?: unknown;
  /** `*_next` */
  index?: number;
  pre_loop_output?: unknown;
  /** `*_completed` */
  outputs?: unknown;
  status?: string;
  error?: string | null;
  elapsed_time?: number;
  total_tokens?: number;
  execution_metadata?: unknown;
  finished_at?: number;
  steps?: number;
}

export interface IterationEvent extends WorkflowEventBase {
  event: 'iteration_started' | 'iteration_next' | 'iteration_completed';
  data: LoopLikeData;
}
export interface LoopEvent extends WorkflowEventBase {
  event: 'loop_started' | 'loop_next' | 'loop_completed';
  data: LoopLikeData;
}

export interface AgentLogEvent extends EventBase {
  event: 'agent_log';
  data: {
    node_execution_id: string;
    id: string;
    label: string;
    parent_id?: string | null;
    error?: string | null;
    status: string;
    data?: unknown;
    metadata?: unknown;
    node_id: string;
  };
}

export interface WorkflowFinishedEvent extends WorkflowEventBase {
  event: 'workflow_finished';
  data: {
    id: string;
    workflow_id?: string;
    status: 'succeeded' | 'failed' | 'partial-succeeded' | 'stopped' | 'paused' | string;
    outputs?: unknown;
    error?: string | null;
    elapsed_time?: number;
    total_tokens?: number;
    total_steps?: number;
    created_by?: { id?: string; user?: string } | null;
    created_at?: number;
    finished_at?: number;
    exceptions_count?: number;
    files?: WorkflowFile[];
  };
}

/** Workflow apps (`/workflows/run`); listed for chat in the newest OpenAPI enum (§3.3). */
export interface TextChunkEvent extends WorkflowEventBase {
  event: 'text_chunk';
  data: { text: string; from_variable_selector?: string[] | null };
}
export interface TextReplaceEvent extends WorkflowEventBase {
  event: 'text_replace';
  data: { text: string };
}

/** Newer servers: LLM node with `reasoning_format: separated` (§3.3). */
export interface ReasoningChunkEvent extends EventBase {
  event: 'reasoning_chunk';
  data: { message_id?: string; reasoning: string; node_id?: string; is_final?: boolean };
}

export interface HumanInputRequiredEvent extends WorkflowEventBase {
  event: 'human_input_required';
  data: {
    form_id: string;
    form_token: string;
    node_id: string;
    node_title: string;
    form_content: string;
    inputs: Array<{ type: string; output_variable_name: string; default?: unknown }>;
    actions: Array<{ id: string; title: string; button_style?: string }>;
    display_in_ui?: boolean;
    resolved_default_values?: Record<string, unknown>;
    expiration_time?: number;
  };
}

export interface HumanInputFormFilledEvent extends WorkflowEventBase {
  event: 'human_input_form_filled';
  data: {
    node_id: string;
    node_title: string;
    rendered_content?: string;
    action_id?: string;
    action_text?: string;
    submitted_data?: unknown;
  };
}

export interface HumanInputFormTimeoutEvent extends WorkflowEventBase {
  event: 'human_input_form_timeout';
  data: { node_id: string; node_title: string; expiration_time?: number };
}

export interface WorkflowPausedEvent extends WorkflowEventBase {
  event: 'workflow_paused';
  data: {
    workflow_run_id: string;
    paused_nodes?: unknown;
    outputs?: unknown;
    reasons?: Array<{ TYPE?: string; [key: string]: unknown }>;
    status: 'paused';
    created_at?: number;
    elapsed_time?: number;
    total_tokens?: number;
    total_steps?: number;
  };
}

/** Newest servers: a rolling-update handoff; the client should reconnect (§3.6). */
export interface WorkflowMaintenancePausedEvent {
  event: 'workflow_maintenance_paused';
  workflow_run_id: string;
}

/** Old servers only; the front end still handles them (§3.3). */
export interface ParallelBranchEvent extends WorkflowEventBase {
  event: 'parallel_branch_started' | 'parallel_branch_finished';
  data: Record<string, unknown>;
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
