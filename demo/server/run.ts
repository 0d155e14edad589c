import { randomUUID } from 'node:crypto';
import type { App } from './apps.ts';
import type { MockState, TaskHandle } from './context.ts';
import { EventFactory, type StreamEvent } from './events.ts';
import { sleep } from './http.ts';
import type { Settings } from './settings.ts';
import type { Conversation, EndUser, MessageFileRecord, MessageRecord } from './store.ts';

/**
 * One generation (a Dify "task"): the ids shared by all its events, the stop flag, and the message
 * record being filled. It outlives the HTTP response: when the client goes away (or the cut fault drops
 * the socket) it keeps going silently and still stores the full answer, as Dify's worker thread does.
 */
export class Run implements TaskHandle {
  readonly taskId = randomUUID();
  readonly workflowRunId: string | null;
  readonly events: EventFactory;
  readonly startedAt = Date.now();
  /** A snapshot, so a settings change does not alter a stream half way. */
  readonly settings: Settings;
  stopped = false;
  /** Nobody is listening any more: no writes, no delays. */
  detached = false;
  /** The stream was ended early by an error (error-event fault); no more events. */
  halted = false;
  private readonly cancel = new AbortController();
  private wakers = new Set<() => void>();
  private readonly onClosing = (): void => this.detach();

  constructor(
    readonly state: MockState,
    readonly app: App,
    readonly endUser: EndUser,
    readonly conversation: Conversation,
    readonly message: MessageRecord,
    readonly origin: string,
    /** A resumed chatflow run keeps the id of the run it continues. */
    workflowRunId?: string,
  ) {
    this.settings = { ...state.settings };
    this.workflowRunId = app.mode === 'advanced-chat' ? (workflowRunId ?? randomUUID()) : null;
    this.events = new EventFactory(conversation.id, message.id, message.created_at, this.taskId, this.workflowRunId);
    state.closing.addEventListener('abort', this.onClosing, { once: true });
  }

  get query(): string {
    return this.message.query;
  }

  get inputs(): Record<string, unknown> {
    return this.conversation.inputs;
  }

  /** /chat-messages/<task_id>/stop: producers notice at their next step and end gracefully. */
  stop(): void {
    this.stopped = true;
    this.wakeAll();
  }

  get endUserId(): string {
    return this.endUser.id;
  }

  detach(): void {
    this.detached = true;
    this.cancel.abort();
    this.wakeAll();
  }

  get signal(): AbortSignal {
    return this.cancel.signal;
  }

  /** Called once the run is over. */
  finish(): void {
    this.state.closing.removeEventListener('abort', this.onClosing);
    this.cancel.abort();
    this.wakeAll();
  }

  /** Waits `ms` unless stopped or detached (then at once). */
  async sleep(ms: number): Promise<void> {
    if (this.detached || this.stopped) return;
    if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    let wake: () => void = () => {};
    const woken = new Promise<void>((resolve) => (wake = resolve));
    this.wakers.add(wake);
    const ctl = new AbortController();
    await Promise.race([sleep(ms, AbortSignal.any([this.cancel.signal, ctl.signal])), woken]);
    ctl.abort();
    this.wakers.delete(wake);
  }

  /** The pause between two streamed tokens. */
  tick(): Promise<void> {
    return this.sleep(this.settings.tokenDelayMs);
  }

  /** Prefix for tool file URLs (relative when filesUrl is empty, docs/PROTOCOL.md §2.10). */
  fileUrl(path: string): string {
    return `${this.settings.filesUrl}${path}`;
  }

  private wakeAll(): void {
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }
}

/** Thrown by `Output.emit` once the stream has been ended by an error; producers just unwind. */
export class Halt extends Error {}

/** What producers write to: stream events, plus the file record behind a message_file event. */
export interface Output {
  emit(event: StreamEvent, file?: MessageFileRecord): Promise<void>;
}

/** A retriever resource as GET /api/messages lists it (docs/PROTOCOL.md §2.7). */
function listResource(r: Record<string, unknown>, msg: MessageRecord): Record<string, unknown> {
  return {
    id: randomUUID(),
    message_id: msg.id,
    position: r.position,
    dataset_id: r.dataset_id,
    dataset_name: r.dataset_name,
    document_id: r.document_id,
    document_name: r.document_name,
    data_source_type: r.data_source_type,
    segment_id: r.segment_id,
    score: r.score,
    hit_count: r.hit_count,
    word_count: r.word_count,
    segment_position: r.segment_position,
    index_node_hash: r.index_node_hash,
    content: r.content,
    summary: r.summary ?? null,
    created_at: msg.created_at,
  };
}

/** Folds the events of a run into its stored message, so GET /api/messages shows what was streamed. */
export class Recorder {
  lastError: { code: string; status: number; message: string } | null = null;
  private agentDeltas = false;

  constructor(private readonly msg: MessageRecord) {}

  apply(event: StreamEvent, file?: MessageFileRecord): void {
    const msg = this.msg;
    switch (event.event) {
      case 'message':
        // New Agent closes with one `message` that repeats the whole answer (docs/PROTOCOL.md, newer releases).
        if (this.agentDeltas) msg.answer = String(event.answer ?? '');
        else msg.answer += String(event.answer ?? '');
        break;
      case 'agent_message':
        this.agentDeltas = true;
        msg.answer += String(event.answer ?? '');
        break;
      case 'message_replace':
        msg.answer = String(event.answer ?? '');
        break;
      case 'agent_thought': {
        const thought = {
          id: String(event.id),
          chain_id: null,
          message_id: msg.id,
          position: Number(event.position),
          thought: String(event.thought ?? ''),
          tool: String(event.tool ?? ''),
          tool_labels: (event.tool_labels ?? {}) as Record<string, unknown>,
          tool_input: String(event.tool_input ?? ''),
          created_at: msg.created_at,
          observation: String(event.observation ?? ''),
          files: (event.message_files ?? []) as string[],
        };
        const index = msg.agent_thoughts.findIndex((t) => t.id === thought.id);
        if (index >= 0) msg.agent_thoughts[index] = thought;
        else msg.agent_thoughts.push(thought);
        break;
      }
      case 'message_file':
        if (file) msg.message_files.push(file);
        break;
      case 'message_end': {
        const metadata = (event.metadata ?? {}) as Record<string, unknown>;
        msg.metadata = metadata;
        const resources = Array.isArray(metadata.retriever_resources) ? metadata.retriever_resources : [];
        msg.retriever_resources = resources.map((r: Record<string, unknown>) => listResource(r, msg));
        break;
      }
      case 'error':
        msg.status = 'error';
        msg.error = String(event.message ?? '');
        this.lastError = { code: String(event.code), status: Number(event.status), message: String(event.message) };
        break;
      default:
        break;
    }
  }
}
