/** A message split into its leading reasoning and its answer. */
export interface ThinkSplit {
  /** Text inside a leading `<think>` section, or null when there is none. */
  think: string | null;
  /** True while `</think>` has not arrived yet (the model is still reasoning). */
  open: boolean;
  /** Everything after the think section: the markdown answer. */
  answer: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/** Drop a trailing partial `tag` (`</thi`) so half a tag never flashes up while streaming. */
function dropPartial(text: string, tag: string): string {
  for (let i = Math.min(tag.length - 1, text.length); i > 0; i--) {
    if (text.endsWith(tag.slice(0, i))) return text.slice(0, -i);
  }
  return text;
}

/**
 * Extract a leading `<think>…</think>` section, as reasoning models (DeepSeek
 * R1, QwQ) put before their answer. An unterminated section is all thinking:
 * while streaming, `</think>` simply has not arrived yet. With `streaming`,
 * a text that is so far only a prefix of `<think>` yields nothing, so the
 * tag is never shown for a moment as text.
 */
export function splitThink(text: string, streaming = false): ThinkSplit {
  const lead = text.trimStart();
  if (!lead.startsWith(OPEN)) {
    return streaming && OPEN.startsWith(lead) ? { think: null, open: false, answer: '' } : { think: null, open: false, answer: text };
  }
  const body = lead.slice(OPEN.length);
  const end = body.indexOf(CLOSE);
  if (end < 0) return { think: streaming ? dropPartial(body, CLOSE) : body, open: true, answer: '' };
  return { think: body.slice(0, end), open: false, answer: body.slice(end + CLOSE.length).trimStart() };
}
