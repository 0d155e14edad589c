import { randomUUID } from 'node:crypto';
import { planAnswer } from '../answers.ts';
import type { AgentThoughtFields } from '../events.ts';
import { pythonJson } from '../json.ts';
import type { Output, Run } from '../run.ts';
import { countTokens, usageBlock } from '../tokens.ts';
import { streamText } from './common.ts';

const TIME_LABEL = { current_time: { en_US: 'Current Time', zh_Hans: '获取当前时间' } };

/**
 * New Agent app, mode `agent` (Dify 1.15+; stream shape of the 1.16 docs): a thinking step and a tool
 * step as `agent_thought` snapshots re-emitted by id, the reply as `agent_message` deltas, then ONE
 * closing `message` that repeats the whole answer (a replacement, not more text), then `message_end`
 * without retriever resources. Keywords pick the reply body as in the other apps.
 */
export async function newAgentScript(run: Run, out: Output): Promise<void> {
  const f = run.events;
  const now = `${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`;
  const step = (position: number): AgentThoughtFields => ({
    id: randomUUID(),
    position,
    thought: '',
    observation: '',
    tool: '',
    tool_labels: {},
    tool_input: '',
    message_files: [],
  });

  if (!run.stopped) {
    const thinking = step(1);
    await out.emit(f.agentThought(thinking));
    await run.tick();
    thinking.thought = `The visitor asked “${run.query.slice(0, 80)}”. I will check the time with a tool, then answer.`;
    await out.emit(f.agentThought(thinking));
    await run.tick();
  }
  if (!run.stopped) {
    const tool = step(2);
    tool.tool = 'current_time';
    tool.tool_labels = TIME_LABEL;
    // Tool input and output are json.dumps(..., ensure_ascii=False) strings, hence the Python spacing.
    tool.tool_input = pythonJson({ current_time: { timezone: 'UTC' } }, false);
    await out.emit(f.agentThought(tool));
    await run.sleep(run.settings.tokenDelayMs * 4);
    tool.observation = pythonJson({ current_time: now }, false);
    await out.emit(f.agentThought(tool));
    await run.tick();
  }

  const fallback = `It is ${now.slice(11, 16)} UTC, says the current_time tool. You asked: “${run.query}”.\n\nThis reply comes from a New Agent app.`;
  const plan = planAnswer(run.query, run.origin, fallback);
  const answer = await streamText(run, out, plan.text, (token) => f.agentMessage(token));
  await out.emit(f.message(answer, null));
  const usage = usageBlock(countTokens(run.query) + 120, countTokens(answer), (Date.now() - run.startedAt) / 1000);
  await out.emit(f.messageEnd({ usage }, null));
}
