import { randomUUID } from 'node:crypto';
import { hasKeyword, planAnswer, retrieverResources } from '../answers.ts';
import type { AgentThoughtFields } from '../events.ts';
import type { Output, Run } from '../run.ts';
import { TOOL_PNG } from '../png.ts';
import { pythonJson } from '../json.ts';
import { MODERATED_REPLACEMENT } from '../answer-texts.ts';
import { endMetadata, streamText, toolFileUrl } from './common.ts';

const LABELS: Record<string, { en_US: string; zh_Hans: string }> = {
  current_time: { en_US: 'Current Time', zh_Hans: '获取当前时间' },
  image_generator: { en_US: 'Image Generator', zh_Hans: '图片生成' },
};

function utcNow(): string {
  return `${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/**
 * Agent app, one tool round then the answer (docs/PROTOCOL.md §6.5): thought 1 empty → with tool and input →
 * (`message_file`) → with observation; thought 2 empty → `agent_message`×N → thought 2 final → `message_end`.
 */
export async function agentScript(run: Run, out: Output): Promise<void> {
  const f = run.events;
  const wantsImage = hasKeyword(run.query, 'image');
  const tools = wantsImage ? ['current_time', 'image_generator'] : ['current_time'];
  const now = utcNow();
  const finish = async (answer: string, citations: boolean): Promise<void> => {
    const resources = citations ? retrieverResources() : [];
    await out.emit(f.messageEnd(endMetadata(run, answer, resources), null));
  };

  const round1: AgentThoughtFields = {
    id: randomUUID(),
    position: 1,
    thought: '',
    observation: '',
    tool: '',
    tool_labels: {},
    tool_input: '',
    message_files: [],
  };
  await out.emit(f.agentThought(round1));
  await run.tick();
  if (run.stopped) return finish('', false);

  round1.tool = tools.join(';');
  round1.tool_labels = Object.fromEntries(tools.map((t) => [t, LABELS[t]]));
  const input: Record<string, unknown> = { current_time: { timezone: 'UTC' } };
  if (wantsImage) input.image_generator = { prompt: run.query.slice(0, 100) };
  // Dify stores these as json.dumps(..., ensure_ascii=False) strings, hence the Python spacing.
  round1.tool_input = pythonJson(input, false);
  await out.emit(f.agentThought(round1));
  await run.sleep(Math.max(run.settings.tokenDelayMs * 4, 0));
  if (run.stopped) return finish('', false);

  if (wantsImage) {
    const fileId = randomUUID();
    const url = toolFileUrl(run, fileId);
    await out.emit(f.messageFile(fileId, 'image', url), {
      id: fileId,
      filename: `${fileId}.png`,
      type: 'image',
      url,
      mime_type: 'image/png',
      size: TOOL_PNG.length,
      transfer_method: 'tool_file',
      belongs_to: 'assistant',
      upload_file_id: null,
    });
    round1.message_files = [fileId];
  }
  const observation: Record<string, unknown> = { current_time: now };
  if (wantsImage) observation.image_generator = 'Generated 1 image.';
  round1.observation = pythonJson(observation, false);
  await out.emit(f.agentThought(round1));
  await run.tick();
  if (run.stopped) return finish('', false);

  const round2: AgentThoughtFields = {
    ...round1,
    id: randomUUID(),
    position: 2,
    observation: '',
    tool: '',
    tool_labels: {},
    tool_input: '',
    message_files: [],
  };
  await out.emit(f.agentThought(round2));
  const fallback =
    `It is ${now.slice(11, 16)} UTC (I asked the current_time tool). You asked: “${run.query}”.` +
    (wantsImage ? ' I also generated the image shown above.' : '');
  const plan = planAnswer(run.query, run.origin, fallback);
  let answer = await streamText(run, out, plan.text, (token) => f.agentMessage(token));
  round2.thought = answer;
  if (plan.moderation && !run.stopped) {
    answer = MODERATED_REPLACEMENT;
    await out.emit(f.messageReplace(MODERATED_REPLACEMENT, 'output_moderation'));
  }
  await out.emit(f.agentThought(round2));
  await finish(answer, plan.citations);
}
