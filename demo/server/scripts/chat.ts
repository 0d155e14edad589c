import { planAnswer, retrieverResources } from '../answers.ts';
import { MODERATED_REPLACEMENT } from '../answer-texts.ts';
import type { Output, Run } from '../run.ts';
import { ANNOTATION_TEXT, annotationReply, endMetadata, streamChars, streamText } from './common.ts';

/** Chat app (docs/PROTOCOL.md §3.3.2): `message`×N → (`message_replace`) → `message_end`. */
export async function chatScript(run: Run, out: Output): Promise<void> {
  const f = run.events;
  const plan = planAnswer(run.query, run.origin);
  let answer: string;
  let annotation: Record<string, unknown> | null = null;
  if (plan.annotation) {
    annotation = annotationReply();
    answer = await streamChars(run, out, ANNOTATION_TEXT, (ch) => f.message(ch, null));
  } else {
    answer = await streamText(run, out, plan.text, (token) => f.message(token, null));
  }
  if (plan.moderation && !run.stopped) {
    answer = MODERATED_REPLACEMENT;
    await out.emit(f.messageReplace(MODERATED_REPLACEMENT, 'output_moderation'));
  }
  const resources = plan.citations ? retrieverResources() : [];
  await out.emit(f.messageEnd(endMetadata(run, answer, resources, annotation), null));
}
