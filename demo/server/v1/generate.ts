import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import type { App } from '../apps.ts';
import type { RequestContext } from '../context.ts';
import { invalidParam, pydanticError } from '../errors.ts';
import type { StreamEvent } from '../events.ts';
import { parseJsonBody, sendJson } from '../http.ts';
import { validateInputs } from '../inputs.ts';
import { Run, type Output } from '../run.ts';
import { chatScript } from '../scripts/chat.ts';
import { streamText } from '../scripts/common.ts';
import { planAnswer } from '../answers.ts';
import { runBlocking, runStreaming, type Script } from '../stream.ts';
import { nowSeconds, type EndUser } from '../store.ts';

/**
 * `/v1/completion-messages` and `/v1/workflows/run` (docs/PROTOCOL.md §2.11), on the chat's own run,
 * stream and answer machinery: a completion is the chat script without a conversation in its
 * events; a workflow run streams its answer as `text_chunk` events between workflow and node events.
 */

type Json = Record<string, unknown>;

function payloadOf(ctx: RequestContext, model: string): { inputs: Json; query: string; streaming: boolean } {
  const body = parseJsonBody(ctx.body);
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Json;
  if (!('inputs' in b)) throw pydanticError(model, 'inputs', 'Field required', 'missing', b);
  if (!b.inputs || typeof b.inputs !== 'object' || Array.isArray(b.inputs)) {
    throw pydanticError(model, 'inputs', 'Input should be a valid dictionary', 'dict_type', b.inputs);
  }
  const mode = b.response_mode ?? 'blocking';
  if (mode !== 'streaming' && mode !== 'blocking') {
    throw pydanticError(model, 'response_mode', "Input should be 'blocking' or 'streaming'", 'literal_error', mode);
  }
  return { inputs: b.inputs as Json, query: typeof b.query === 'string' ? b.query : '', streaming: mode === 'streaming' };
}

/** A run needs a conversation and a message to fill; Dify keeps both for completions too. */
function newRun(ctx: RequestContext, app: App, endUser: EndUser, inputs: Json, query: string): Run {
  const store = ctx.state.store;
  const conversation = store.createConversation({
    app_id: app.app_id,
    end_user_id: endUser.id,
    name: query.slice(0, 20),
    inputs,
    introduction: '',
  });
  const message = store.createMessage({
    conversation_id: conversation.id,
    app_id: app.app_id,
    end_user_id: endUser.id,
    parent_message_id: null,
    inputs,
    query,
    answer: '',
    feedback: null,
    retriever_resources: [],
    created_at: nowSeconds(),
    agent_thoughts: [],
    message_files: [],
    status: 'normal',
    error: null,
    metadata: null,
  });
  return new Run(ctx.state, app, endUser, conversation, message, ctx.origin);
}

/** Completion events carry no conversation (docs/PROTOCOL.md §2.11). */
const completionScript: Script = (run, out) =>
  chatScript(run, {
    emit: (event, file) => {
      const { conversation_id: _dropped, ...rest } = event;
      return out.emit(rest as StreamEvent, file);
    },
  });

export async function completionMessages(ctx: RequestContext, app: App, endUser: EndUser): Promise<void> {
  const payload = payloadOf(ctx, 'CompletionRequestPayload');
  const inputs = validateInputs(app, payload.inputs);
  const query =
    payload.query ||
    String(inputs.query ?? '') ||
    Object.values(inputs)
      .filter((v) => typeof v === 'string')
      .join(' ');
  if (!query.trim()) throw invalidParam('query is required');
  const run = newRun(ctx, app, endUser, inputs, query);
  if (payload.streaming) await runStreaming(ctx, run, completionScript);
  else await runBlocking(ctx, run, completionScript);
}

function workflowIdOf(appId: string): string {
  const h = createHash('sha1').update(`workflow:${appId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A workflow run: start node → LLM node streaming `text_chunk` → end node; `outputs.text` is the answer. */
function workflowScript(runId: string, finished: (data: Json) => void): Script {
  return async (run, out) => {
    const base = (event: string, data: Json): StreamEvent => ({ event, task_id: run.taskId, workflow_run_id: runId, data });
    const workflowId = workflowIdOf(run.app.app_id);
    const started = nowSeconds();
    const t0 = Date.now();
    await out.emit(base('workflow_started', { id: runId, workflow_id: workflowId, inputs: run.inputs, created_at: started }));
    const nodes = [
      { node_id: 'start', node_type: 'start', title: 'Start' },
      { node_id: 'llm', node_type: 'llm', title: 'LLM' },
      { node_id: 'end', node_type: 'end', title: 'End' },
    ];
    let text = '';
    for (const [index, node] of nodes.entries()) {
      const id = randomUUID();
      await out.emit(
        base('node_started', {
          id,
          ...node,
          index: index + 1,
          predecessor_node_id: nodes[index - 1]?.node_id ?? null,
          created_at: nowSeconds(),
        }),
      );
      if (node.node_type === 'llm') {
        text = await streamText(run, out, planAnswer(run.query, run.origin).text, (token) =>
          base('text_chunk', { text: token, from_variable_selector: ['llm', 'text'] }),
        );
      }
      await out.emit(
        base('node_finished', {
          id,
          ...node,
          index: index + 1,
          status: 'succeeded',
          outputs: node.node_type === 'start' ? run.inputs : { text },
          error: null,
          created_at: nowSeconds(),
        }),
      );
    }
    const data: Json = {
      id: runId,
      workflow_id: workflowId,
      status: run.stopped ? 'stopped' : 'succeeded',
      outputs: { text },
      error: null,
      elapsed_time: (Date.now() - t0) / 1000,
      total_tokens: Math.max(1, Math.round(text.length / 4)),
      total_steps: nodes.length,
      created_at: started,
      finished_at: nowSeconds(),
    };
    finished(data);
    await out.emit(base('workflow_finished', data));
  };
}

export async function runWorkflow(ctx: RequestContext, app: App, endUser: EndUser): Promise<void> {
  const payload = payloadOf(ctx, 'WorkflowRunPayload');
  const inputs = validateInputs(app, payload.inputs);
  const query =
    String(inputs.query ?? '') ||
    Object.values(inputs)
      .filter((v) => typeof v === 'string')
      .join(' ') ||
    'workflow run';
  const run = newRun(ctx, app, endUser, inputs, query);
  const runId = randomUUID();
  let result: Json | null = null;
  const script = workflowScript(runId, (data) => (result = data));
  if (payload.streaming) return runStreaming(ctx, run, script);
  // Blocking: the run goes through the same task table (so stop works), and the answer is its result.
  ctx.state.tasks.set(run.taskId, run);
  const quiet: Output = { emit: async () => {} };
  try {
    await script(run, quiet);
  } finally {
    ctx.state.tasks.delete(run.taskId);
    run.finish();
  }
  sendJson(ctx.res, 200, { task_id: run.taskId, workflow_run_id: runId, data: result });
}
