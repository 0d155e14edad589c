import { createHash, randomUUID } from 'node:crypto';
import { atLeast, messageEndFirst } from '../eras.ts';
import type { Output, Run } from '../run.ts';
import { nowSeconds } from '../store.ts';
import { countTokens } from '../tokens.ts';
import { endMetadata } from './common.ts';

/** One node of the mock workflow graph, as node events describe it. */
export interface NodeSpec {
  node_id: string;
  node_type: string;
  title: string;
  index: number;
  predecessor_node_id: string | null;
  iteration_id?: string | null;
}

/** A node execution under way: its id, when it started. */
export interface NodeRun {
  id: string;
  at: number;
  t0: number;
}

/** A stable workflow id per app, shaped like a UUID. */
function workflowIdOf(appId: string): string {
  const h = createHash('sha1').update(`workflow:${appId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The workflow-level events of a chatflow run (docs/PROTOCOL.md §3.3, §6.6): started, node started and
 * finished (details stripped as for the web app), finished, and the terminal pair in the era's order.
 */
export class WorkflowEvents {
  readonly runId: string;
  readonly workflowId: string;
  readonly startedAt = nowSeconds();
  steps = 0;

  constructor(
    private readonly run: Run,
    private readonly out: Output,
  ) {
    this.runId = run.workflowRunId ?? randomUUID();
    this.workflowId = workflowIdOf(run.app.app_id);
  }

  /** `workflow_started`; from 1.13.0 its data says why the run (re)started. */
  async started(reason: 'initial' | 'resumption'): Promise<void> {
    const { run } = this;
    const dialogueCount = run.state.store.conversationMessages(run.conversation.id).length;
    const data: Record<string, unknown> = {
      id: this.runId,
      workflow_id: this.workflowId,
      inputs: {
        ...run.inputs,
        'sys.query': run.query,
        'sys.files': [],
        'sys.user_id': run.endUser.session_id,
        'sys.dialogue_count': dialogueCount,
        'sys.app_id': run.app.app_id,
        'sys.workflow_id': this.workflowId,
        'sys.workflow_run_id': this.runId,
      },
      created_at: this.startedAt,
    };
    if (atLeast(run.app.era, '1.13.0')) data.reason = reason;
    await this.out.emit(run.events.workflow('workflow_started', data));
  }

  async nodeStarted(spec: NodeSpec, id: string = randomUUID()): Promise<NodeRun> {
    const node = { id, at: nowSeconds(), t0: Date.now() };
    await this.out.emit(
      this.run.events.workflow('node_started', {
        id: node.id,
        ...spec,
        inputs: null,
        created_at: node.at,
        extras: {},
        iteration_id: spec.iteration_id ?? null,
        loop_id: null,
      }),
    );
    return node;
  }

  async nodeFinished(spec: NodeSpec, node: NodeRun, status = 'succeeded', error: string | null = null): Promise<void> {
    this.steps++;
    await this.out.emit(
      this.run.events.workflow('node_finished', {
        id: node.id,
        ...spec,
        inputs: null,
        process_data: null,
        outputs: null,
        status,
        error,
        elapsed_time: (Date.now() - node.t0) / 1000,
        execution_metadata: null,
        created_at: node.at,
        finished_at: nowSeconds(),
        files: [],
        iteration_id: spec.iteration_id ?? null,
        loop_id: null,
      }),
    );
  }

  async finished(status: string, answer: string, error: string | null = null): Promise<void> {
    const { run } = this;
    await this.out.emit(
      run.events.workflow('workflow_finished', {
        id: this.runId,
        workflow_id: this.workflowId,
        status,
        outputs: status === 'failed' ? {} : { answer },
        error,
        elapsed_time: (Date.now() - run.startedAt) / 1000,
        total_tokens: countTokens(run.query) + countTokens(answer) + 30,
        total_steps: this.steps,
        created_by: { id: run.endUser.id, user: run.endUser.session_id },
        created_at: this.startedAt,
        finished_at: nowSeconds(),
        exceptions_count: 0,
        files: [],
      }),
    );
  }

  /** `message_end` and `workflow_finished`, in the order of the app's era (eras.ts). */
  async terminal(status: 'succeeded' | 'stopped', answer: string): Promise<void> {
    const { run } = this;
    const end = run.events.messageEnd(endMetadata(run, answer), []);
    if (messageEndFirst(run.app.era, run.settings.chatflowOrder, status)) {
      await this.out.emit(end);
      await this.finished(status, answer);
    } else {
      await this.finished(status, answer);
      await this.out.emit(end);
    }
  }

  /** `workflow_paused` (1.13+): the run waits, here for a human-input form. */
  async paused(reasons: Record<string, unknown>[], pausedNodes: string[]): Promise<void> {
    const { run } = this;
    await this.out.emit(
      run.events.workflow('workflow_paused', {
        workflow_run_id: this.runId,
        paused_nodes: pausedNodes,
        outputs: {},
        reasons,
        status: 'paused',
        created_at: this.startedAt,
        elapsed_time: (Date.now() - run.startedAt) / 1000,
        total_tokens: countTokens(run.query) + countTokens(run.message.answer) + 30,
        total_steps: this.steps,
      }),
    );
  }
}
