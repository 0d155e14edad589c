/** The stored records: Dify's end_users, conversations, messages, message_agent_thoughts and message_files. */

export interface EndUser {
  id: string;
  app_id: string;
  /** The "user" string: `user_id` from /api/passport, or a random UUID for anonymous users. */
  session_id: string;
  type: 'browser';
  is_anonymous: boolean;
  created_at: number;
}

export interface Conversation {
  id: string;
  app_id: string;
  end_user_id: string;
  name: string;
  inputs: Record<string, unknown>;
  status: 'normal';
  introduction: string;
  created_at: number;
  updated_at: number;
  pinned: boolean;
  /** Monotonic counters that break ties between equal second timestamps when sorting and paging. */
  created_seq: number;
  updated_seq: number;
}

export interface AgentThoughtRecord {
  id: string;
  chain_id: string | null;
  message_id: string;
  position: number;
  thought: string;
  tool: string;
  tool_labels: Record<string, unknown>;
  tool_input: string;
  created_at: number;
  observation: string;
  files: string[];
}

export interface MessageFileRecord {
  id: string;
  filename: string;
  type: string;
  url: string;
  mime_type: string;
  size: number;
  transfer_method: 'local_file' | 'remote_url' | 'tool_file';
  belongs_to: 'user' | 'assistant';
  upload_file_id: string | null;
}

export interface MessageRecord {
  id: string;
  conversation_id: string;
  app_id: string;
  end_user_id: string;
  parent_message_id: string | null;
  inputs: Record<string, unknown>;
  query: string;
  answer: string;
  feedback: { rating: 'like' | 'dislike'; content: string | null } | null;
  /** In the list-API shape (§2.7); `metadata.retriever_resources` keeps the message_end shape. */
  retriever_resources: Record<string, unknown>[];
  created_at: number;
  created_seq: number;
  agent_thoughts: AgentThoughtRecord[];
  message_files: MessageFileRecord[];
  /** `paused` while a human-input form waits (Dify 1.13+). */
  status: 'normal' | 'error' | 'paused';
  error: string | null;
  metadata: Record<string, unknown> | null;
  /** Human-input forms of this answer, as history's `extra_contents` lists them (Dify 1.13+). */
  extra_contents?: Record<string, unknown>[];
}
