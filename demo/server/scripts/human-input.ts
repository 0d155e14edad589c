import type { MockState } from '../context.ts';
import { formDefinition, NODE_ID, NODE_TITLE } from '../human-input/definition.ts';
import type { FormRecord } from '../human-input/forms.ts';
import { extraContent, filledData, requiredData, timeoutData } from '../human-input/payloads.ts';
import { type Output, Run } from '../run.ts';
import { runInBackground } from '../stream.ts';
import { streamText } from './common.ts';
import { type NodeSpec, WorkflowEvents } from './workflow.ts';

/**
 * A chatflow with a human-input node (Dify 1.13+): start → LLM "Draft" → human input "Review" →
 * LLM "Write-up" → answer. The question's stream ends at the pause (`human_input_required`,
 * `workflow_paused`); the rest runs once the form is submitted or expires, and reaches the client
 * only through GET /api/workflow/<run_id>/events (pubsub.ts `followRun`).
 */
const START: NodeSpec = { node_id: 'start', node_type: 'start', title: 'Start', index: 1, predecessor_node_id: null };
const DRAFT: NodeSpec = { node_id: 'llm', node_type: 'llm', title: 'Draft', index: 2, predecessor_node_id: 'start' };
const REVIEW: NodeSpec = { node_id: NODE_ID, node_type: 'human-input', title: NODE_TITLE, index: 3, predecessor_node_id: 'llm' };
const WRITE_UP: NodeSpec = { node_id: 'llm_final', node_type: 'llm', title: 'Write-up', index: 4, predecessor_node_id: NODE_ID };
const ANSWER: NodeSpec = { node_id: 'answer', node_type: 'answer', title: 'Answer', index: 5, predecessor_node_id: 'llm_final' };

function topicOf(run: Run): string {
  return String(run.inputs.topic ?? '').trim() || run.query.slice(0, 40);
}

export async function humanInputScript(run: Run, out: Output): Promise<void> {
  const f = run.events;
  const wf = new WorkflowEvents(run, out);
  await wf.started('initial');
  await wf.nodeFinished(START, await wf.nodeStarted(START));
  const draftNode = await wf.nodeStarted(DRAFT);
  const draft = `Here is my draft about **${topicOf(run)}**: it answers “${run.query}” in three short paragraphs. Before I finish, a person has to review it.`;
  const sent = await streamText(run, out, draft, (token) => f.message(token, ['llm', 'text']));
  if (run.stopped) return wf.terminal('stopped', sent);
  await wf.nodeFinished(DRAFT, draftNode);
  const reviewNode = await wf.nodeStarted(REVIEW);

  const { state, app } = run;
  const form = state.forms.create(
    {
      appId: app.app_id,
      endUserId: run.endUser.id,
      conversationId: run.conversation.id,
      messageId: run.message.id,
      workflowRunId: wf.runId,
      nodeExecutionId: reviewNode.id,
      origin: run.origin,
      definition: formDefinition(app.era, topicOf(run), run.endUser.session_id),
    },
    run.settings.humanInputExpiryMs,
    (expired) => resumeRun(state, expired),
  );
  run.message.status = 'paused';
  run.message.extra_contents = [extraContent(form, app.era)];
  await out.emit(f.workflow('human_input_required', requiredData(form)));
  await wf.paused([{ TYPE: 'human_input_required', form_id: form.formId, node_id: NODE_ID, node_title: NODE_TITLE }], [NODE_ID]);
}

function writeUpText(form: FormRecord): string {
  const submission = form.submission;
  if (!submission) return '\n\nNobody answered the review form in time, so I stopped at the draft.';
  const values = submission.values;
  const comment = typeof values.comment === 'string' && values.comment ? ` Your comment: “${values.comment}”.` : '';
  const priority = typeof values.priority === 'string' ? ` Priority: **${values.priority}**.` : '';
  const files = [values.attachment, ...(Array.isArray(values.extra_files) ? values.extra_files : [])].filter(Boolean).length;
  const attached = files ? ` You attached ${files} file${files === 1 ? '' : 's'}.` : '';
  const verdict = submission.actionId === 'approve' ? 'Thanks, the draft is approved.' : 'Understood, you asked for changes.';
  return `\n\n${verdict}${comment}${priority}${attached}\n\nThis part was written after the review, by the Write-up node.`;
}

/** What runs once the form is submitted (`form.submission` set) or has expired. */
async function afterReview(run: Run, out: Output, form: FormRecord): Promise<void> {
  const f = run.events;
  const wf = new WorkflowEvents(run, out);
  if (form.submission) await out.emit(f.workflow('human_input_form_filled', filledData(form, run.app.era)));
  else await out.emit(f.workflow('human_input_form_timeout', timeoutData(form)));
  await wf.started('resumption');
  await wf.nodeFinished(REVIEW, { id: form.nodeExecutionId, at: wf.startedAt, t0: Date.now() });
  const writeUp = await wf.nodeStarted(WRITE_UP);
  await streamText(run, out, writeUpText(form), (token) => f.message(token, ['llm_final', 'text']));
  if (run.stopped) return wf.terminal('stopped', run.message.answer);
  await wf.nodeFinished(WRITE_UP, writeUp);
  await wf.nodeFinished(ANSWER, await wf.nodeStarted(ANSWER));
  await wf.terminal('succeeded', run.message.answer);
}

/**
 * Resumes a paused run after its form was answered or expired, as a new task of the same workflow run.
 * Does nothing when the conversation is gone (the mock was reset in between).
 */
export function resumeRun(state: MockState, form: FormRecord): void {
  const app = state.apps.byId(form.appId);
  const endUser = state.store.getEndUser(form.endUserId);
  const conversation = state.store.findConversation(form.conversationId, form.appId, form.endUserId);
  const message = state.store.findMessage(form.messageId, form.appId, form.endUserId);
  if (!app || !endUser || !conversation || !message) return;
  message.status = 'normal';
  message.extra_contents = [extraContent(form, app.era)];
  const run = new Run(state, app, endUser, conversation, message, form.origin, form.workflowRunId);
  runInBackground(run, (r, out) => afterReview(r, out, form)).catch((err: unknown) => {
    state.log(`[mock] resumed run failed: ${(err as Error).stack ?? String(err)}`);
  });
}
