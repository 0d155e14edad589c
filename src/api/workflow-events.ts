/**
 * Wire types of the workflow events (docs/PROTOCOL.md §3.3), which chatflow apps stream around
 * their answer: the run, its nodes, iterations and loops, agent logs and human-input forms.
 */
import type { EventBase, WorkflowFile } from './stream-events.ts';

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
