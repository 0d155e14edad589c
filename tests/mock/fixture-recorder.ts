import { admin, client, type Client, passport, readAll, settings, SseReader } from './helpers.ts';
import { askUntilPaused, submitForm, uploadFormFile, uploadToken, validInputs } from './hitl-helpers.ts';

/**
 * Records one SSE transcript per era and app shape from the mock (tests/fixtures/streams/era-*.sse),
 * for the widget's reducer tests to replay. `RECORD_FIXTURES=1 npx vitest run tests/mock/fixtures.test.ts`
 * rewrites them; otherwise that test checks the committed ones still have the mock's shape.
 */
export interface Scenario {
  name: string;
  /** False when the text depends on timing (a stop), so only the event skeleton is compared. */
  stableText: boolean;
  record(base: string): Promise<string>;
}

async function era(base: string, key: string, value: string): Promise<void> {
  const res = await admin(base, 'POST', `/apps/${key}`, { era: value });
  if (res.status !== 200) throw new Error(`era ${res.status}: ${await res.text()}`);
}

async function app(base: string, key: string): Promise<Client> {
  return client(base, await passport(base, key, `fixture-${key}`));
}

async function flowStream(base: string, value: string, query: string, inputs: Record<string, unknown> = { topic: 'tea' }): Promise<string> {
  await era(base, 'demo-flow', value);
  const flow = await app(base, 'demo-flow');
  return (await readAll(await flow.chat({ query, inputs }))).reader.raw;
}

async function paused(base: string): Promise<{ hitl: Client; form: Record<string, any>; runId: string; raw: string }> {
  const hitl = await app(base, 'demo-hitl');
  const { form, runId, raw } = await askUntilPaused(hitl);
  return { hitl, form, runId, raw };
}

export const SCENARIOS: Scenario[] = [
  { name: 'era-1.12-chatflow', stableText: true, record: (base) => flowStream(base, '1.12', 'overview') },
  { name: 'era-1.13.0-chatflow', stableText: true, record: (base) => flowStream(base, '1.13.0', 'overview') },
  { name: 'era-1.13.0-chatflow-failed', stableText: true, record: (base) => flowStream(base, '1.13.0', 'please fail') },
  {
    name: 'era-1.13.0-early-error',
    stableText: true,
    async record(base) {
      await settings(base, { pingIntervalMs: 40, idleTimeoutMs: 150 });
      return flowStream(base, '1.13.0', 'hi', {});
    },
  },
  { name: 'era-1.13.1-chatflow', stableText: true, record: (base) => flowStream(base, '1.13.1', 'overview') },
  {
    name: 'era-1.16-chatflow-stopped',
    stableText: false,
    async record(base) {
      await era(base, 'demo-flow', '1.16');
      await settings(base, { tokenDelayMs: 10 });
      const flow = await app(base, 'demo-flow');
      const reader = new SseReader(await flow.chat({ query: 'a long answer', inputs: { topic: 'tea' } }));
      let taskId = '';
      for (let messages = 0, e = await reader.next(); e && messages < 3; e = await reader.next()) {
        taskId = String(e.task_id);
        if (e.event === 'message') messages++;
      }
      await flow.post(`/api/chat-messages/${taskId}/stop`);
      await reader.all();
      return reader.raw;
    },
  },
  {
    name: 'era-1.13.1-chat-citations',
    stableText: true,
    async record(base) {
      await era(base, 'demo-chat', '1.13.1');
      return (await readAll(await (await app(base, 'demo-chat')).chat({ query: 'citations please' }))).reader.raw;
    },
  },
  {
    name: 'era-1.16-chat-citations-files',
    stableText: true,
    async record(base) {
      await era(base, 'demo-chat', '1.16');
      const token = await passport(base, 'demo-chat', 'fixture-demo-chat');
      const fd = new FormData();
      fd.append('file', new Blob(['notes'], { type: 'text/plain' }), 'notes.txt');
      const upload = await fetch(`${base}/api/files/upload`, { method: 'POST', headers: { 'X-App-Passport': token }, body: fd });
      const id = ((await upload.json()) as { id: string }).id;
      const files = [{ type: 'document', transfer_method: 'local_file', upload_file_id: id, url: '' }];
      return (await readAll(await client(base, token).chat({ query: 'citations please', files }))).reader.raw;
    },
  },
  {
    name: 'era-1.16-new-agent',
    stableText: true,
    async record(base) {
      return (await readAll(await (await app(base, 'demo-new-agent')).chat({ query: 'what can you do?' }))).reader.raw;
    },
  },
  { name: 'era-1.16-human-input-paused', stableText: true, record: async (base) => (await paused(base)).raw },
  {
    name: 'era-1.16-human-input-resumed',
    stableText: true,
    async record(base) {
      const { hitl, form, runId } = await paused(base);
      const reader = new SseReader(await hitl.get(`/api/workflow/${runId}/events`));
      const auth = `Bearer ${await uploadToken(base, form.form_token)}`;
      const uploaded = await uploadFormFile(base, auth, [['file', new Blob(['draft'], { type: 'text/plain' }), 'draft.txt']]);
      const fileId = ((await uploaded.json()) as { id: string }).id;
      const attachment = { type: 'document', transfer_method: 'local_file', upload_file_id: fileId, url: '' };
      await submitForm(base, form.form_token, { inputs: validInputs({ attachment }), action: 'approve' });
      await reader.all();
      return reader.raw;
    },
  },
  {
    name: 'era-1.16-human-input-timeout',
    stableText: true,
    async record(base) {
      await settings(base, { humanInputExpiryMs: 1500 });
      const { hitl, runId } = await paused(base);
      const reader = new SseReader(await hitl.get(`/api/workflow/${runId}/events`));
      await reader.all();
      return reader.raw;
    },
  },
  {
    name: 'era-1.16-events-finished',
    stableText: true,
    async record(base) {
      const { hitl, form, runId } = await paused(base);
      const live = new SseReader(await hitl.get(`/api/workflow/${runId}/events`));
      await submitForm(base, form.form_token, { inputs: validInputs(), action: 'revise' });
      await live.all();
      return (await hitl.get(`/api/workflow/${runId}/events`)).text();
    },
  },
];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Makes a recording stable across runs: ids become numbered UUIDs in order of appearance, epoch
 * seconds count from 1780000000, and clock readings, durations, tokens and nonces get fixed values.
 */
export function normalize(text: string): string {
  const ids = new Map<string, string>();
  let out = text.replace(UUID, (id) => {
    if (!ids.has(id)) ids.set(id, `00000000-0000-4000-8000-${String(ids.size + 1).padStart(12, '0')}`);
    return ids.get(id)!;
  });
  let first: number | null = null;
  out = out.replace(/\b1[78]\d{8}\b/g, (digits) => {
    first ??= Number(digits);
    return String(1780000000 + Math.max(0, Number(digits) - first));
  });
  out = out.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/g, '2026-07-01 09:30:00 UTC');
  out = out.replace(/It is \d\d:\d\d/g, 'It is 09:30');
  out = out.replace(/("(?:elapsed_time|latency|time_to_first_token|time_to_generate)": ?)[0-9.e-]+/g, '$10.42');
  out = out.replace(/("form_token": ?")[^"]+"/g, '$1form-token-1"');
  out = out.replace(/nonce=[^&"]+/g, 'nonce=mock');
  out = out.replace(/("index_node_hash": ?")[0-9a-f]+"/g, '$10123456789abcdef0123456789abcdef"');
  return out;
}

/**
 * The shape of a transcript: each block as `ping` or `event{keys}[data keys]`, runs of the same entry
 * (text deltas, pings) collapsed to one with `+`, so token splits and ping timing do not matter.
 */
export function skeleton(text: string): string[] {
  const entries: string[] = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim()) continue;
    let entry = block;
    if (block === 'event: ping') entry = 'ping';
    else if (block.startsWith('data: ')) {
      const event = JSON.parse(block.slice(6)) as Record<string, unknown>;
      const data = event.data && typeof event.data === 'object' ? `[${Object.keys(event.data).join(',')}]` : '';
      entry = `${String(event.event)}{${Object.keys(event).join(',')}}${data}`;
    }
    const last = entries.at(-1);
    if (last === entry || last === `${entry}+`) entries[entries.length - 1] = `${entry}+`;
    else entries.push(entry);
  }
  return entries;
}

/** The answer text a transcript spells out (message and agent_message deltas, then any replacement). */
export function answerText(text: string): string {
  let answer = '';
  for (const block of text.split('\n\n')) {
    if (!block.startsWith('data: ')) continue;
    const event = JSON.parse(block.slice(6)) as Record<string, unknown>;
    if (event.event === 'agent_message' || event.event === 'message') answer += String(event.answer);
  }
  return answer;
}
