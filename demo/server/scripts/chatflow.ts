import { randomUUID } from 'node:crypto';
import { hasKeyword, planAnswer } from '../answers.ts';
import { MODERATED_REPLACEMENT } from '../answer-texts.ts';
import type { Output, Run } from '../run.ts';
import { nowSeconds } from '../store.ts';
import { tokenize } from '../tokens.ts';
import { streamText } from './common.ts';
import { type NodeSpec, WorkflowEvents } from './workflow.ts';

const LLM_FAILURE = '[openai] Error code: 500 - upstream model unavailable (mock keyword: fail)';

/**
 * Chatflow (docs/PROTOCOL.md §6.6): workflow_started → start node → (iteration) → LLM node with `message`×N
 * → answer node → terminal pair, in the order of the app's era (eras.ts `messageEndFirst`).
 * A failing node gives node_finished(failed) → workflow_finished(failed) → `error`, and no message_end;
 * on a 1.13+ pub/sub stream the `error` comes after the terminal event and is dropped.
 */
export async function chatflowScript(run: Run, out: Output): Promise<void> {
  const f = run.events;
  const wf = new WorkflowEvents(run, out);
  await wf.started('initial');

  const start: NodeSpec = { node_id: '1711528708197', node_type: 'start', title: 'Start', index: 1, predecessor_node_id: null };
  await wf.nodeFinished(start, await wf.nodeStarted(start));
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
      await wf.nodeFinished(inner, await wf.nodeStarted(inner));
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
    wf.steps++;
    previous = 'iteration';
    index += 2;
  }
  if (run.stopped) return wf.terminal('stopped', '');

  const llm: NodeSpec = { node_id: 'llm', node_type: 'llm', title: 'LLM', index, predecessor_node_id: previous };
  const llmNode = await wf.nodeStarted(llm);

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
    await wf.nodeFinished(llm, llmNode, 'failed', LLM_FAILURE);
    await wf.finished('failed', '', `Node LLM run failed: ${LLM_FAILURE}`);
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
  if (run.stopped) return wf.terminal('stopped', answer);
  await wf.nodeFinished(llm, llmNode);
  const answerNode: NodeSpec = {
    node_id: 'answer',
    node_type: 'answer',
    title: 'Answer',
    index: index + 1,
    predecessor_node_id: llm.node_id,
  };
  await wf.nodeFinished(answerNode, await wf.nodeStarted(answerNode));
  await wf.terminal('succeeded', answer);
}
