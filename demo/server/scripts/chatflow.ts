import { createHash, randomUUID } from 'node:crypto';
import { hasKeyword, planAnswer } from '../answers.ts';
import { MODERATED_REPLACEMENT } from '../answer-texts.ts';
import type { Output, Run } from '../run.ts';
import { nowSeconds } from '../store.ts';
import { countTokens, tokenize } from '../tokens.ts';
import { endMetadata, streamText } from './common.ts';

interface NodeSpec {
  node_id: string;
  node_type: string;
  title: string;
  index: number;
  predecessor_node_id: string | null;
  iteration_id?: string | null;
}

/** A stable workflow id per app, shaped like a UUID. */
function workflowIdOf(appId: string): string {
  const h = createHash('sha1').update(`workflow:${appId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const LLM_FAILURE = '[openai] Error code: 500 - upstream model unavailable (mock keyword: fail)';

/**
 * Chatflow (docs/PROTOCOL.md §6.6): workflow_started → start node → (iteration) → LLM node with `message`×N
 * → answer node → terminal pair, in 1.12.1 order (`workflow_finished`→`message_end`) or the newest order.
 * A failing node gives node_finished(failed) → workflow_finished(failed) → `error`, and no message_end.
 */
export async function chatflowScript(run: Run, out: Output): Promise<void> {
  const f = run.events;
  const runId = run.workflowRunId ?? randomUUID();
  const workflowId = workflowIdOf(run.app.app_id);
  const started = nowSeconds();
  let steps = 0;

  const nodeStarted = async (spec: NodeSpec): Promise<{ id: string; at: number; t0: number }> => {
    const node = { id: randomUUID(), at: nowSeconds(), t0: Date.now() };
    await out.emit(
      f.workflow('node_started', {
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
  };
  const nodeFinished = async (
    spec: NodeSpec,
    node: { id: string; at: number; t0: number },
    status = 'succeeded',
    error: string | null = null,
  ): Promise<void> => {
    steps++;
    await out.emit(
      f.workflow('node_finished', {
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
  };
  const workflowFinished = async (status: string, answer: string, error: string | null = null): Promise<void> => {
    await out.emit(
      f.workflow('workflow_finished', {
        id: runId,
        workflow_id: workflowId,
        status,
        outputs: status === 'failed' ? {} : { answer },
        error,
        elapsed_time: (Date.now() - run.startedAt) / 1000,
        total_tokens: countTokens(run.query) + countTokens(answer) + 30,
        total_steps: steps,
        created_by: { id: run.endUser.id, user: run.endUser.session_id },
        created_at: started,
        finished_at: nowSeconds(),
        exceptions_count: 0,
        files: [],
      }),
    );
  };
  const terminal = async (status: 'succeeded' | 'stopped', answer: string): Promise<void> => {
    const end = f.messageEnd(endMetadata(run, answer), []);
    if (run.settings.chatflowOrder === 'newest') {
      await out.emit(end);
      await workflowFinished(status, answer);
    } else {
      await workflowFinished(status, answer);
      await out.emit(end);
    }
  };

  const dialogueCount = run.state.store.conversationMessages(run.conversation.id).length;
  await out.emit(
    f.workflow('workflow_started', {
      id: runId,
      workflow_id: workflowId,
      inputs: {
        ...run.inputs,
        'sys.query': run.query,
        'sys.files': [],
        'sys.user_id': run.endUser.session_id,
        'sys.dialogue_count': dialogueCount,
        'sys.app_id': run.app.app_id,
        'sys.workflow_id': workflowId,
        'sys.workflow_run_id': runId,
      },
      created_at: started,
    }),
  );

  const start: NodeSpec = { node_id: '1711528708197', node_type: 'start', title: 'Start', index: 1, predecessor_node_id: null };
  await nodeFinished(start, await nodeStarted(start));
  await run.tick();
  let previous = start.node_id;
  let index = 2;

  if (hasKeyword(run.query, 'iterate')) {
    const iteration = {
      id: randomUUID(),
      node_id: 'iteration',
      node_type: 'iteration',
      title: 'Iteration',
      t0: Date.now(),
      at: nowSeconds(),
    };
    const ideas = ['Idea one', 'Idea two', 'Idea three'];
    const base = { id: iteration.id, node_id: iteration.node_id, node_type: iteration.node_type, title: iteration.title };
    await out.emit(
      f.workflow('iteration_started', {
        ...base,
        created_at: iteration.at,
        extras: {},
        metadata: { iterator_length: ideas.length },
        inputs: null,
      }),
    );
    for (let i = 0; i < ideas.length && !run.stopped; i++) {
      await out.emit(f.workflow('iteration_next', { ...base, index: i, created_at: nowSeconds(), pre_iteration_output: null, extras: {} }));
      const inner: NodeSpec = {
        node_id: 'code',
        node_type: 'code',
        title: 'Code',
        index: index + 1,
        predecessor_node_id: 'iteration',
        iteration_id: iteration.id,
      };
      await nodeFinished(inner, await nodeStarted(inner));
      await run.tick();
    }
    await out.emit(
      f.workflow('iteration_completed', {
        ...base,
        outputs: { output: ideas },
        created_at: iteration.at,
        extras: {},
        inputs: null,
        status: 'succeeded',
        error: null,
        elapsed_time: (Date.now() - iteration.t0) / 1000,
        total_tokens: 0,
        execution_metadata: null,
        finished_at: nowSeconds(),
        steps: ideas.length,
      }),
    );
    steps++;
    previous = 'iteration';
    index += 2;
  }
  if (run.stopped) return terminal('stopped', '');

  const llm: NodeSpec = { node_id: 'llm', node_type: 'llm', title: 'LLM', index, predecessor_node_id: previous };
  const llmNode = await nodeStarted(llm);

  if (hasKeyword(run.query, 'reasoning')) {
    const reasoning = `The user asked about "${run.query.slice(0, 60)}". I will outline the topic first, then answer briefly.`;
    for (const token of tokenize(reasoning)) {
      if (run.stopped) break;
      await out.emit(f.reasoningChunk(token, llm.node_id, false));
      await run.tick();
    }
    await out.emit(f.reasoningChunk('', llm.node_id, true));
  }

  if (hasKeyword(run.query, 'fail')) {
    await out.emit(f.message('Let me look', ['llm', 'text']));
    await run.tick();
    await nodeFinished(llm, llmNode, 'failed', LLM_FAILURE);
    await workflowFinished('failed', '', `Node LLM run failed: ${LLM_FAILURE}`);
    await out.emit(f.error('invalid_param', 400, `Run failed: Node LLM run failed: ${LLM_FAILURE}`));
    return;
  }

  const topic = String(run.inputs.topic ?? '').trim() || 'your topic';
  const tone = String(run.inputs.tone ?? '').trim() || 'friendly';
  const iterated = hasKeyword(run.query, 'iterate') ? '\n\nI iterated over three ideas: idea one, idea two and idea three.' : '';
  const fallback = `Here is a ${tone} take on **${topic}**. You asked: “${run.query}”.${iterated}\n\nThis answer was streamed by the LLM node of the mock chatflow.`;
  const plan = planAnswer(run.query, run.origin, fallback);
  let answer = await streamText(run, out, plan.text, (token) => f.message(token, ['llm', 'text']));
  if (plan.moderation && !run.stopped) {
    answer = MODERATED_REPLACEMENT;
    await out.emit(f.messageReplace(MODERATED_REPLACEMENT, 'output_moderation'));
  }
  if (run.stopped) return terminal('stopped', answer);
  await nodeFinished(llm, llmNode);
  const answerNode: NodeSpec = {
    node_id: 'answer',
    node_type: 'answer',
    title: 'Answer',
    index: index + 1,
    predecessor_node_id: llm.node_id,
  };
  await nodeFinished(answerNode, await nodeStarted(answerNode));
  await terminal('succeeded', answer);
}
