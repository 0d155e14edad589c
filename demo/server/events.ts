/**
 * Builds chat-family stream events with the key order of the web app's "simple" converter
 * (docs/PROTOCOL.md §3.2): `event, conversation_id, message_id, created_at, task_id, <fields…>`;
 * `error` has no task_id; workflow events add `workflow_run_id` and nest their payload in `data`.
 */
export type StreamEvent = Record<string, unknown> & { event: string };

export interface AgentThoughtFields {
  id: string;
  position: number;
  thought: string;
  observation: string;
  tool: string;
  tool_labels: Record<string, unknown>;
  tool_input: string;
  message_files: string[];
}

export class EventFactory {
  constructor(
    readonly conversationId: string,
    readonly messageId: string,
    readonly createdAt: number,
    readonly taskId: string,
    readonly workflowRunId: string | null = null,
  ) {}

  private base(event: string): StreamEvent {
    return {
      event,
      conversation_id: this.conversationId,
      message_id: this.messageId,
      created_at: this.createdAt,
      task_id: this.taskId,
    };
  }

  message(answer: string, fromVariableSelector: string[] | null = null): StreamEvent {
    return { ...this.base('message'), id: this.messageId, answer, from_variable_selector: fromVariableSelector };
  }

  agentMessage(answer: string): StreamEvent {
    return { ...this.base('agent_message'), id: this.messageId, answer };
  }

  agentThought(t: AgentThoughtFields): StreamEvent {
    return {
      ...this.base('agent_thought'),
      id: t.id,
      position: t.position,
      thought: t.thought,
      observation: t.observation,
      tool: t.tool,
      tool_labels: t.tool_labels,
      tool_input: t.tool_input,
      message_files: t.message_files,
    };
  }

  messageFile(id: string, type: string, url: string): StreamEvent {
    return { ...this.base('message_file'), id, type, belongs_to: 'assistant', url };
  }

  messageReplace(answer: string, reason: string): StreamEvent {
    return { ...this.base('message_replace'), answer, reason };
  }

  messageEnd(metadata: Record<string, unknown>, files: unknown[] | null): StreamEvent {
    return { ...this.base('message_end'), id: this.messageId, metadata, files };
  }

  workflow(event: string, data: Record<string, unknown>): StreamEvent {
    return { ...this.base(event), workflow_run_id: this.workflowRunId, data };
  }

  reasoningChunk(reasoning: string, nodeId: string, isFinal: boolean): StreamEvent {
    return {
      ...this.base('reasoning_chunk'),
      data: { message_id: this.messageId, reasoning, node_id: nodeId, is_final: isFinal },
    };
  }

  error(code: string, status: number, message: string): StreamEvent {
    return {
      event: 'error',
      conversation_id: this.conversationId,
      message_id: this.messageId,
      created_at: this.createdAt,
      code,
      status,
      message,
    };
  }
}
