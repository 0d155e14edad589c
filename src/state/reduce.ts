import {
  isKnownStreamEvent,
  type AgentLogEvent,
  type HumanInputRequiredEvent,
  type IterationEvent,
  type KnownStreamEvent,
  type LoopEvent,
  type MessageEndEvent,
  type NodeData,
  type NodeFinishedData,
  type StreamEvent,
  type WorkflowFinishedEvent,
} from '../api/types.ts';
import {
  annotationFromWire,
  fileFromWorkflow,
  sortThoughts,
  thoughtFromWire,
  type AgentLogEntry,
  type AgentThought,
  type Answer,
  type AnswerFile,
  type AnswerStatus,
  type HumanInputForm,
  type LoopRun,
  type WorkflowNode,
  type WorkflowRun,
} from './answer.ts';

/**
 * All merge logic for stream events (docs/ARCHITECTURE.md §3): `(answer, event) → answer`, pure, never
 * mutating its input, returning the same object when nothing changed.
 *
 * Agent apps (docs/PROTOCOL.md §3.3.2): Dify's UI appends `agent_message` text to the last thought only.
 * Here it goes to `text` (the visible answer, equal to the history's `answer`) *and* to the last
 * thought, so both views stream; `agent_thought` then replaces its thought by id with the
 * server's full text. The final round's `agent_thought` repeats the agent_message text in its
 * `thought`; it only replaces the thought and never touches `text`, so nothing is duplicated.
 * A UI that shows `text` should render thoughts as tool calls, not repeat their `thought`.
 *
 * Unknown events, `ping` and TTS events leave the answer unchanged (the caller logs unknown ones).
 */
export function reduceAnswer(answer: Answer, event: StreamEvent): Answer {
  if (!isKnownStreamEvent(event) || IGNORED.has(event.event)) return answer;
  const next = withIds(answer, event);
  return SETTLED.has(next.status) ? reduceSettled(next, event) : reduceLive(next, event);
}

/**
 * End an answer from the client side: `stopped` (stop button) or `interrupted` (cut stream).
 * Keeps the partial content; an answer the server already ended keeps its status.
 */
export function finishAnswer(answer: Answer, reason: 'stopped' | 'interrupted'): Answer {
  return SETTLED.has(answer.status) ? answer : { ...answer, status: reason };
}

/** True once nothing more will change the answer's content. */
export function isAnswerSettled(answer: Answer): boolean {
  return SETTLED.has(answer.status);
}

const IGNORED: ReadonlySet<string> = new Set([
  'ping',
  // Kept for the read-aloud feature (§3.4).
  'tts_message',
  'tts_message_end',
  'workflow_maintenance_paused',
  'parallel_branch_started',
  'parallel_branch_finished',
]);

/** Statuses after which content is frozen. `paused` is not one: a resumed stream continues it. */
const SETTLED: ReadonlySet<AnswerStatus> = new Set<AnswerStatus>(['done', 'stopped', 'interrupted', 'error']);

function reduceLive(a: Answer, e: KnownStreamEvent): Answer {
  switch (e.event) {
    case 'message':
    case 'agent_message':
    case 'text_chunk': {
      const delta = e.event === 'text_chunk' ? e.data.text : e.answer;
      const thoughts = e.event === 'agent_message' ? appendToLastThought(a.thoughts, delta) : a.thoughts;
      return { ...a, status: 'streaming', text: a.text + (delta ?? ''), thoughts };
    }
    case 'message_replace':
      return { ...a, status: 'streaming', text: e.answer ?? '', replacedReason: e.reason ?? null };
    case 'text_replace':
      return { ...a, status: 'streaming', text: e.data.text ?? '' };
    case 'reasoning_chunk':
      return { ...a, status: 'streaming', reasoning: a.reasoning + (e.data.reasoning ?? '') };
    case 'agent_thought':
      return { ...a, status: 'streaming', thoughts: upsertThought(a.thoughts, thoughtFromWire(e)) };
    case 'message_file': {
      const file: AnswerFile = { id: e.id, type: e.type, url: e.url, belongsTo: e.belongs_to === 'user' ? 'user' : 'assistant' };
      return { ...a, status: 'streaming', files: upsertById(a.files, file) };
    }
    case 'message_end':
      return settle(withMessageEnd(a, e));
    case 'error':
      return { ...a, status: 'error', error: { code: e.code, message: e.message, status: e.status } };
    case 'workflow_started': {
      const runId = e.data?.id ?? e.workflow_run_id ?? '';
      // A resumed run (newer servers, `reason: "resumption"`) keeps the nodes it had.
      const workflow = a.workflow && a.workflow.runId === runId ? { ...a.workflow, status: 'running' } : newRun(runId);
      return { ...a, status: a.status === 'paused' ? 'streaming' : a.status, workflow };
    }
    case 'workflow_finished':
      return finishWorkflow(a, e);
    case 'workflow_paused':
      return { ...a, status: 'paused', workflow: { ...run(a, e.workflow_run_id), status: 'paused' } };
    default:
      return reduceWorkflowDetail(a, e);
  }
}

/**
 * After the answer settled, only bookkeeping continues: the message id, `message_end` metadata
 * (a stopped answer still gets its usage and citations), the workflow's final status, and a
 * better error text (1.12.1 sends `workflow_finished(failed)` then an `error` event, §3.3.2).
 */
function reduceSettled(a: Answer, e: KnownStreamEvent): Answer {
  switch (e.event) {
    case 'message_end':
      return withMessageEnd(a, e);
    case 'workflow_finished':
      return { ...a, gotWorkflowFinished: true, workflow: finishedRun(a, e) };
    case 'error':
      return a.status === 'error' ? { ...a, error: { code: e.code, message: e.message, status: e.status } } : a;
    default:
      return a;
  }
}

/** Chat/agent end on `message_end`; a chatflow also needs `workflow_finished`, in either order. */
function settle(a: Answer): Answer {
  if (!a.gotMessageEnd || (a.workflow && !a.gotWorkflowFinished)) return a;
  if (a.workflow?.status === 'stopped') return { ...a, status: 'stopped' };
  return { ...a, status: 'done' };
}

function withMessageEnd(a: Answer, e: MessageEndEvent): Answer {
  const meta = e.metadata ?? {};
  let files = a.files;
  for (const f of e.files ?? []) {
    const file = fileFromWorkflow(f);
    if (file) files = upsertById(files, file);
  }
  return {
    ...a,
    messageId: e.id || a.messageId,
    retrieverResources: meta.retriever_resources ?? a.retrieverResources,
    annotation: meta.annotation_reply ? annotationFromWire(meta.annotation_reply) : a.annotation,
    usage: meta.usage ?? a.usage,
    files,
    gotMessageEnd: true,
  };
}

function finishWorkflow(a: Answer, e: WorkflowFinishedEvent): Answer {
  const next: Answer = { ...a, gotWorkflowFinished: true, workflow: finishedRun(a, e) };
  if (e.data.status === 'failed') {
    // Shown even if the `error` event that 1.12.1 sends next never arrives; that event, if it
    // comes, replaces this text with its own (see reduceSettled).
    return { ...next, status: 'error', error: { code: 'workflow_failed', message: e.data.error || 'Workflow failed.' } };
  }
  return settle(next);
}

function finishedRun(a: Answer, e: WorkflowFinishedEvent): WorkflowRun {
  const base = run(a, e.data.id ?? e.workflow_run_id);
  const done: WorkflowRun = { ...base, status: e.data.status, error: e.data.error ?? null };
  if (e.data.elapsed_time !== undefined) done.elapsedTime = e.data.elapsed_time;
  return done;
}

// ---------------------------------------------------------------------------------------------
// Workflow details: nodes, iterations/loops, agent logs, human-input forms

function reduceWorkflowDetail(a: Answer, e: KnownStreamEvent): Answer {
  switch (e.event) {
    case 'node_started':
      return withRun(a, e.workflow_run_id, (w) => ({ ...w, nodes: upsertNode(w.nodes, nodeFrom(e.data, 'running')) }));
    case 'node_finished':
      return withRun(a, e.workflow_run_id, (w) => ({ ...w, nodes: upsertNode(w.nodes, nodeFrom(e.data, e.data.status)) }));
    case 'node_retry':
      return withRun(a, e.workflow_run_id, (w) => ({
        ...w,
        nodes: upsertNode(w.nodes, { ...nodeFrom(e.data, 'retry'), retryIndex: e.data.retry_index }, true),
      }));
    case 'iteration_started':
    case 'iteration_next':
    case 'iteration_completed':
    case 'loop_started':
    case 'loop_next':
    case 'loop_completed':
      return withRun(a, e.workflow_run_id, (w) => ({ ...w, iterations: upsertLoop(w.iterations, e) }));
    case 'agent_log':
      return withRun(a, undefined, (w) => ({ ...w, agentLogs: upsertById(w.agentLogs, agentLogFrom(e)) }));
    case 'human_input_required':
      return withRun(a, e.workflow_run_id, (w) => ({ ...w, forms: upsertForm(w.forms, e) }));
    case 'human_input_form_filled':
    case 'human_input_form_timeout': {
      const state = e.event === 'human_input_form_filled' ? 'filled' : 'timeout';
      const status = a.status === 'paused' ? 'streaming' : a.status;
      return withRun({ ...a, status }, e.workflow_run_id, (w) => ({
        ...w,
        forms: w.forms.map((f) => (f.nodeId === e.data.node_id && f.state === 'required' ? { ...f, state } : f)),
      }));
    }
    default:
      return a;
  }
}

function newRun(runId: string): WorkflowRun {
  return { runId, status: 'running', nodes: [], iterations: [], agentLogs: [], forms: [], error: null };
}

/** The current run, or a new one when a node event comes without `workflow_started`. */
function run(a: Answer, runId: string | undefined): WorkflowRun {
  return a.workflow ?? newRun(runId ?? '');
}

function withRun(a: Answer, runId: string | undefined, update: (w: WorkflowRun) => WorkflowRun): Answer {
  return { ...a, workflow: update(run(a, runId)) };
}

function nodeFrom(d: NodeData | NodeFinishedData, status: string): WorkflowNode {
  const node: WorkflowNode = {
    id: d.id,
    nodeId: d.node_id,
    nodeType: d.node_type,
    title: d.title,
    index: d.index,
    status,
    parentId: d.iteration_id ?? d.loop_id ?? null,
  };
  const round = d.iteration_index ?? d.loop_index;
  if (typeof round === 'number') node.iterationIndex = round;
  if ('elapsed_time' in d && typeof d.elapsed_time === 'number') node.elapsedTime = d.elapsed_time;
  if ('error' in d && d.error !== undefined) node.error = d.error;
  return node;
}

/**
 * Replace a node by execution id (merging, so a finish keeps what the start said), else append.
 * A retry may carry a new execution id: then the latest node with the same `nodeId` is updated.
 */
function upsertNode(nodes: WorkflowNode[], node: WorkflowNode, matchNodeId = false): WorkflowNode[] {
  let i = nodes.findIndex((n) => n.id === node.id);
  if (i < 0 && matchNodeId) i = findLastIndex(nodes, (n) => n.nodeId === node.nodeId);
  if (i < 0) return [...nodes, node];
  const copy = nodes.slice();
  copy[i] = { ...nodes[i], ...node, id: nodes[i]?.id ?? node.id };
  return copy;
}

function upsertLoop(loops: LoopRun[], e: IterationEvent | LoopEvent): LoopRun[] {
  const d = e.data;
  const kind = e.event.startsWith('loop') ? 'loop' : 'iteration';
  const existing = loops.find((l) => l.id === d.id);
  const base: LoopRun = existing ?? { id: d.id, kind, nodeId: d.node_id, title: d.title ?? '', status: 'running', index: 0 };
  let next: LoopRun;
  if (e.event.endsWith('_next')) next = { ...base, index: typeof d.index === 'number' ? d.index : base.index + 1 };
  else if (e.event.endsWith('_completed')) {
    next = { ...base, status: d.status ?? 'succeeded', error: d.error ?? null };
    if (typeof d.elapsed_time === 'number') next.elapsedTime = d.elapsed_time;
  } else next = { ...base, status: 'running' };
  return upsertById(loops, next);
}

function agentLogFrom(e: AgentLogEvent): AgentLogEntry {
  const d = e.data;
  return {
    id: d.id,
    nodeId: d.node_id,
    nodeExecutionId: d.node_execution_id,
    parentId: d.parent_id ?? null,
    label: d.label,
    status: d.status,
    error: d.error ?? null,
  };
}

function upsertForm(forms: HumanInputForm[], e: HumanInputRequiredEvent): HumanInputForm[] {
  const d = e.data;
  const form: HumanInputForm = {
    formId: d.form_id,
    formToken: d.form_token,
    nodeId: d.node_id,
    nodeTitle: d.node_title,
    content: d.form_content,
    inputs: d.inputs ?? [],
    actions: d.actions ?? [],
    expirationTime: d.expiration_time ?? null,
    state: 'required',
  };
  const i = forms.findIndex((f) => f.formId === form.formId);
  return i < 0 ? [...forms, form] : forms.map((f, j) => (j === i ? form : f));
}

// ---------------------------------------------------------------------------------------------
// Small immutable helpers

/**
 * Record `conversation_id`, `message_id`, `task_id` and `created_at` from any event that has them.
 * `id` is the message id only for message/agent_message/message_end — elsewhere it names a
 * thought, a file or a node.
 */
function withIds(a: Answer, e: KnownStreamEvent): Answer {
  if (e.event === 'workflow_maintenance_paused') return a;
  const messageId = e.message_id || ((e.event === 'message' || e.event === 'agent_message') && e.id) || null;
  const conversationId = e.conversation_id || null;
  const taskId = e.task_id || null;
  const createdAt = typeof e.created_at === 'number' ? e.created_at : null;
  const changed =
    (messageId !== null && messageId !== a.messageId) ||
    (conversationId !== null && conversationId !== a.conversationId) ||
    (taskId !== null && taskId !== a.taskId) ||
    (createdAt !== null && a.createdAt === null);
  if (!changed) return a;
  return {
    ...a,
    messageId: messageId ?? a.messageId,
    conversationId: conversationId ?? a.conversationId,
    taskId: taskId ?? a.taskId,
    createdAt: a.createdAt ?? createdAt,
  };
}

/** Replace by id (keeping a non-empty live thought if the re-emission is still empty), in position order. */
function upsertThought(thoughts: AgentThought[], incoming: AgentThought): AgentThought[] {
  const i = thoughts.findIndex((t) => t.id === incoming.id);
  if (i < 0) return sortThoughts([...thoughts, incoming]);
  const current = thoughts[i];
  const merged = current && !incoming.thought && current.thought ? { ...incoming, thought: current.thought } : incoming;
  const copy = thoughts.slice();
  copy[i] = merged;
  return merged.position === current?.position ? copy : sortThoughts(copy);
}

function appendToLastThought(thoughts: AgentThought[], delta: string): AgentThought[] {
  const last = thoughts[thoughts.length - 1];
  if (!last || !delta) return thoughts;
  return [...thoughts.slice(0, -1), { ...last, thought: last.thought + delta }];
}

function upsertById<T extends { id: string }>(items: T[], item: T): T[] {
  const i = items.findIndex((x) => x.id === item.id);
  if (i < 0) return [...items, item];
  const copy = items.slice();
  copy[i] = item;
  return copy;
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}
