import type { KnownStreamEvent } from '../api/stream-events.ts';
import type {
  AgentLogEvent,
  HumanInputRequiredEvent,
  IterationEvent,
  LoopEvent,
  NodeData,
  NodeFinishedData,
} from '../api/workflow-events.ts';
import type { AgentLogEntry, Answer, HumanInputForm, LoopRun, WorkflowNode, WorkflowRun } from './answer.ts';

/**
 * The reducer's workflow details (reduce.ts): nodes, iterations and loops, agent logs and
 * human-input forms of a chatflow's run. Pure, like the reducer; the run's start, end and pause
 * change the answer's status and stay in reduce.ts.
 */
export function reduceWorkflowDetail(answer: Answer, event: KnownStreamEvent): Answer {
  switch (event.event) {
    case 'node_started':
      return withRun(answer, event.workflow_run_id, (run) => ({ ...run, nodes: upsertNode(run.nodes, nodeFrom(event.data, 'running')) }));
    case 'node_finished':
      return withRun(answer, event.workflow_run_id, (run) => ({
        ...run,
        nodes: upsertNode(run.nodes, nodeFrom(event.data, event.data.status)),
      }));
    case 'node_retry':
      return withRun(answer, event.workflow_run_id, (run) => ({
        ...run,
        nodes: upsertNode(run.nodes, { ...nodeFrom(event.data, 'retry'), retryIndex: event.data.retry_index }, true),
      }));
    case 'iteration_started':
    case 'iteration_next':
    case 'iteration_completed':
    case 'loop_started':
    case 'loop_next':
    case 'loop_completed':
      return withRun(answer, event.workflow_run_id, (run) => ({ ...run, iterations: upsertLoop(run.iterations, event) }));
    case 'agent_log':
      return withRun(answer, undefined, (run) => ({ ...run, agentLogs: upsertById(run.agentLogs, agentLogFrom(event)) }));
    case 'human_input_required':
      return withRun(answer, event.workflow_run_id, (run) => ({ ...run, forms: upsertForm(run.forms, event) }));
    case 'human_input_form_filled':
    case 'human_input_form_timeout': {
      const state = event.event === 'human_input_form_filled' ? 'filled' : 'timeout';
      const status = answer.status === 'paused' ? 'streaming' : answer.status;
      return withRun({ ...answer, status }, event.workflow_run_id, (run) => ({
        ...run,
        forms: run.forms.map((form) => (form.nodeId === event.data.node_id && form.state === 'required' ? { ...form, state } : form)),
      }));
    }
    default:
      return answer;
  }
}

export function newRun(runId: string): WorkflowRun {
  return { runId, status: 'running', nodes: [], iterations: [], agentLogs: [], forms: [], error: null };
}

/** The current run, or a new one when a node event comes without `workflow_started`. */
export function currentRun(answer: Answer, runId: string | undefined): WorkflowRun {
  return answer.workflow ?? newRun(runId ?? '');
}

function withRun(answer: Answer, runId: string | undefined, update: (run: WorkflowRun) => WorkflowRun): Answer {
  return { ...answer, workflow: update(currentRun(answer, runId)) };
}

function nodeFrom(data: NodeData | NodeFinishedData, status: string): WorkflowNode {
  const node: WorkflowNode = {
    id: data.id,
    nodeId: data.node_id,
    nodeType: data.node_type,
    title: data.title,
    index: data.index,
    status,
    parentId: data.iteration_id ?? data.loop_id ?? null,
  };
  const round = data.iteration_index ?? data.loop_index;
  if (typeof round === 'number') node.iterationIndex = round;
  if ('elapsed_time' in data && typeof data.elapsed_time === 'number') node.elapsedTime = data.elapsed_time;
  if ('error' in data && data.error !== undefined) node.error = data.error;
  return node;
}

/**
 * Replace a node by execution id (merging, so a finish keeps what the start said), else append.
 * A retry may carry a new execution id: then the latest node with the same `nodeId` is updated.
 */
function upsertNode(nodes: WorkflowNode[], node: WorkflowNode, matchNodeId = false): WorkflowNode[] {
  let index = nodes.findIndex((existing) => existing.id === node.id);
  if (index < 0 && matchNodeId) index = findLastIndex(nodes, (existing) => existing.nodeId === node.nodeId);
  if (index < 0) return [...nodes, node];
  const copy = nodes.slice();
  copy[index] = { ...nodes[index], ...node, id: nodes[index]?.id ?? node.id };
  return copy;
}

function upsertLoop(loops: LoopRun[], event: IterationEvent | LoopEvent): LoopRun[] {
  const data = event.data;
  const kind = event.event.startsWith('loop') ? 'loop' : 'iteration';
  const existing = loops.find((loop) => loop.id === data.id);
  const base: LoopRun = existing ?? { id: data.id, kind, nodeId: data.node_id, title: data.title ?? '', status: 'running', index: 0 };
  let next: LoopRun;
  if (event.event.endsWith('_next')) next = { ...base, index: typeof data.index === 'number' ? data.index : base.index + 1 };
  else if (event.event.endsWith('_completed')) {
    next = { ...base, status: data.status ?? 'succeeded', error: data.error ?? null };
    if (typeof data.elapsed_time === 'number') next.elapsedTime = data.elapsed_time;
  } else next = { ...base, status: 'running' };
  return upsertById(loops, next);
}

function agentLogFrom(event: AgentLogEvent): AgentLogEntry {
  const data = event.data;
  return {
    id: data.id,
    nodeId: data.node_id,
    nodeExecutionId: data.node_execution_id,
    parentId: data.parent_id ?? null,
    label: data.label,
    status: data.status,
    error: data.error ?? null,
  };
}

function upsertForm(forms: HumanInputForm[], event: HumanInputRequiredEvent): HumanInputForm[] {
  const data = event.data;
  const form: HumanInputForm = {
    formId: data.form_id,
    formToken: data.form_token,
    nodeId: data.node_id,
    nodeTitle: data.node_title,
    content: data.form_content,
    inputs: data.inputs ?? [],
    actions: data.actions ?? [],
    expirationTime: data.expiration_time ?? null,
    state: 'required',
  };
  const index = forms.findIndex((existing) => existing.formId === form.formId);
  return index < 0 ? [...forms, form] : forms.map((existing, at) => (at === index ? form : existing));
}

/** Replace by id, else append; a new array either way. */
export function upsertById<T extends { id: string }>(items: T[], item: T): T[] {
  const index = items.findIndex((existing) => existing.id === item.id);
  if (index < 0) return [...items, item];
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (predicate(items[index] as T)) return index;
  return -1;
}
