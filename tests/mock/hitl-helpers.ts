import type { Client, Ev } from './helpers.ts';
import { readAll } from './helpers.ts';

/** Helpers for the human-input app's tests (demo-hitl). */

export interface Paused {
  events: Ev[];
  raw: string;
  blocks: string[];
  /** `human_input_required.data`. */
  form: Record<string, any>;
  runId: string;
  conversationId: string;
}

/** Asks demo-hitl a question and reads its stream up to the pause, where the server closes it. */
export async function askUntilPaused(app: Client, query = 'Draft a note about green tea'): Promise<Paused> {
  const { events, reader } = await readAll(await app.chat({ query }));
  const required = events.find((e) => e.event === 'human_input_required');
  if (!required) throw new Error(`no human_input_required in ${events.map((e) => e.event).join(', ')}`);
  return {
    events,
    raw: reader.raw,
    blocks: reader.blocks,
    form: required.data as Record<string, any>,
    runId: required.workflow_run_id as string,
    conversationId: required.conversation_id as string,
  };
}

export function formUrl(base: string, token: string, suffix = ''): string {
  return `${base}/api/form/human_input/${encodeURIComponent(token)}${suffix}`;
}

/** POST /api/form/human_input/<token> with a JSON body (unauthenticated, like Dify's form page). */
export function submitForm(base: string, token: string, body: unknown): Promise<Response> {
  return fetch(formUrl(base, token), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function uploadToken(base: string, token: string): Promise<string> {
  const res = await fetch(formUrl(base, token, '/upload-token'), { method: 'POST' });
  if (res.status !== 200) throw new Error(`upload-token ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { upload_token: string }).upload_token;
}

/** POST /api/human-input-forms/files with the given Authorization header and multipart fields. */
export function uploadFormFile(base: string, authorization: string | null, fields: [string, string | Blob, string?][]): Promise<Response> {
  const fd = new FormData();
  for (const [name, value, filename] of fields) {
    if (typeof value === 'string') fd.append(name, value);
    else fd.append(name, value, filename);
  }
  return fetch(`${base}/api/human-input-forms/files`, {
    method: 'POST',
    headers: authorization === null ? {} : { Authorization: authorization },
    body: fd,
  });
}

/** A submission every rendered input of the 1.16 form accepts. */
export function validInputs(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { comment: 'Ship it', priority: 'high', ...extra };
}
