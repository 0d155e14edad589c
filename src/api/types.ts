/**
 * Wire types of Dify's web API (`/api`, site token), as described in docs/PROTOCOL.md §2: the
 * app's site, parameters and meta, the chat request, conversations and history messages. The
 * answer stream's events (§3) are in stream-events.ts and workflow-events.ts.
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
