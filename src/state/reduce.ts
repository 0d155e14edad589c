import {
  isAnswerComplete,
  isKnownStreamEvent,
  type KnownStreamEvent,
  type MessageEndEvent,
  type StreamEvent,
} from '../api/stream-events.ts';
import type { WorkflowFinishedEvent } from '../api/workflow-events.ts';
import {
  annotationFromWire,
  fileFromWorkflow,
  sortThoughts,
  thoughtFromWire,
  type AgentThought,
  type Answer,
  type AnswerFile,
  type AnswerStatus,
  type WorkflowRun,
} from './answer.ts';
import { currentRun, newRun, reduceWorkflowDetail, upsertById } from './reduce-workflow.ts';

/**
 * All merge logic for stream events (docs/ARCHITECTURE.md §3): `(answer, event) → answer`, pure, never
 * mutating its input, returning the same object when nothing changed. The workflow details (nodes,
 * loops, agent logs, forms) are merged in reduce-workflow.ts.
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

function reduceLive(answer: Answer, event: KnownStreamEvent): Answer {
  switch (event.event) {
    case 'message':
    case 'agent_message':
    case 'text_chunk': {
      const delta = event.event === 'text_chunk' ? event.data.text : event.answer;
      const thoughts = event.event === 'agent_message' ? appendToLastThought(answer.thoughts, delta) : answer.thoughts;
      return { ...answer, status: 'streaming', text: answer.text + (delta ?? ''), thoughts };
    }
    case 'message_replace':
      return { ...answer, status: 'streaming', text: event.answer ?? '', replacedReason: event.reason ?? null };
    case 'text_replace':
      return { ...answer, status: 'streaming', text: event.data.text ?? '' };
    case 'reasoning_chunk':
      return { ...answer, status: 'streaming', reasoning: answer.reasoning + (event.data.reasoning ?? '') };
    case 'agent_thought':
      return { ...answer, status: 'streaming', thoughts: upsertThought(answer.thoughts, thoughtFromWire(event)) };
    case 'message_file': {
      const file: AnswerFile = {
        id: event.id,
        type: event.type,
        url: event.url,
        belongsTo: event.belongs_to === 'user' ? 'user' : 'assistant',
      };
      return { ...answer, status: 'streaming', files: upsertById(answer.files, file) };
    }
    case 'message_end':
      return settle(withMessageEnd(answer, event));
    case 'error':
      return { ...answer, status: 'error', error: { code: event.code, message: event.message, status: event.status } };
    case 'workflow_started': {
      const runId = event.data?.id ?? event.workflow_run_id ?? '';
      // A resumed run (newer servers, `reason: "resumption"`) keeps the nodes it had.
      const workflow = answer.workflow && answer.workflow.runId === runId ? { ...answer.workflow, status: 'running' } : newRun(runId);
      return { ...answer, status: answer.status === 'paused' ? 'streaming' : answer.status, workflow };
    }
    case 'workflow_finished':
      return finishWorkflow(answer, event);
    case 'workflow_paused':
      return { ...answer, status: 'paused', workflow: { ...currentRun(answer, event.workflow_run_id), status: 'paused' } };
    default:
      return reduceWorkflowDetail(answer, event);
  }
}

/**
 * After the answer settled, only bookkeeping continues: the message id, `message_end` metadata
 * (a stopped answer still gets its usage and citations), the workflow's final status, and a
 * better error text (1.12.1 sends `workflow_finished(failed)` then an `error` event, §3.3.2).
 */
function reduceSettled(answer: Answer, event: KnownStreamEvent): Answer {
  switch (event.event) {
    case 'message_end':
      return withMessageEnd(answer, event);
    case 'workflow_finished':
      return { ...answer, gotWorkflowFinished: true, workflow: finishedRun(answer, event) };
    case 'error':
      return answer.status === 'error' ? { ...answer, error: { code: event.code, message: event.message, status: event.status } } : answer;
    default:
      return answer;
  }
}

/** Done once the events say the answer is complete (the stream reader's rule too); a stopped run stops it. */
function settle(answer: Answer): Answer {
  if (!isAnswerComplete(answer.gotMessageEnd, answer.workflow !== null, answer.gotWorkflowFinished)) return answer;
  return { ...answer, status: answer.workflow?.status === 'stopped' ? 'stopped' : 'done' };
}

function withMessageEnd(answer: Answer, event: MessageEndEvent): Answer {
  const meta = event.metadata ?? {};
  let files = answer.files;
  for (const wireFile of event.files ?? []) {
    const file = fileFromWorkflow(wireFile);
    if (file) files = upsertById(files, file);
  }
  return {
    ...answer,
    messageId: event.id || answer.messageId,
    retrieverResources: meta.retriever_resources ?? answer.retrieverResources,
    annotation: meta.annotation_reply ? annotationFromWire(meta.annotation_reply) : answer.annotation,
    usage: meta.usage ?? answer.usage,
    files,
    gotMessageEnd: true,
  };
}

function finishWorkflow(answer: Answer, event: WorkflowFinishedEvent): Answer {
  const next: Answer = { ...answer, gotWorkflowFinished: true, workflow: finishedRun(answer, event) };
  if (event.data.status === 'failed') {
    // Shown even if the `error` event that 1.12.1 sends next never arrives; that event, if it
    // comes, replaces this text with its own (see reduceSettled).
    return { ...next, status: 'error', error: { code: 'workflow_failed', message: event.data.error || 'Workflow failed.' } };
  }
  return settle(next);
}

function finishedRun(answer: Answer, event: WorkflowFinishedEvent): WorkflowRun {
  const base = currentRun(answer, event.data.id ?? event.workflow_run_id);
  const done: WorkflowRun = { ...base, status: event.data.status, error: event.data.error ?? null };
  if (event.data.elapsed_time !== undefined) done.elapsedTime = event.data.elapsed_time;
  return done;
}

/**
 * Record `conversation_id`, `message_id`, `task_id` and `created_at` from any event that has them.
 * `id` is the message id only for message/agent_message/message_end — elsewhere it names a
 * thought, a file or a node.
 */
function withIds(answer: Answer, event: KnownStreamEvent): Answer {
  if (event.event === 'workflow_maintenance_paused') return answer;
  const messageId = event.message_id || ((event.event === 'message' || event.event === 'agent_message') && event.id) || null;
  const conversationId = event.conversation_id || null;
  const taskId = event.task_id || null;
  const createdAt = typeof event.created_at === 'number' ? event.created_at : null;
  const changed =
    (messageId !== null && messageId !== answer.messageId) ||
    (conversationId !== null && conversationId !== answer.conversationId) ||
    (taskId !== null && taskId !== answer.taskId) ||
    (createdAt !== null && answer.createdAt === null);
  if (!changed) return answer;
  return {
    ...answer,
    messageId: messageId ?? answer.messageId,
    conversationId: conversationId ?? answer.conversationId,
    taskId: taskId ?? answer.taskId,
    createdAt: answer.createdAt ?? createdAt,
  };
}

/** Replace by id (keeping a non-empty live thought if the re-emission is still empty), in position order. */
function upsertThought(thoughts: AgentThought[], incoming: AgentThought): AgentThought[] {
  const index = thoughts.findIndex((thought) => thought.id === incoming.id);
  if (index < 0) return sortThoughts([...thoughts, incoming]);
  const current = thoughts[index];
  const merged = current && !incoming.thought && current.thought ? { ...incoming, thought: current.thought } : incoming;
  const copy = thoughts.slice();
  copy[index] = merged;
  return merged.position === current?.position ? copy : sortThoughts(copy);
}

function appendToLastThought(thoughts: AgentThought[], delta: string): AgentThought[] {
  const last = thoughts[thoughts.length - 1];
  if (!last || !delta) return thoughts;
  return [...thoughts.slice(0, -1), { ...last, thought: last.thought + delta }];
}
