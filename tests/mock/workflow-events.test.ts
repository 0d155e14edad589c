import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, type Ev, names, passport, readAll, settings, SseReader, start } from './helpers.ts';
import { askUntilPaused, formUrl, submitForm, validInputs } from './hitl-helpers.ts';

/* GET /api/workflow/<run_id>/events (Dify 1.13+): resuming after a form, finished runs, idle close. */
let server: MockServer;
let base: string;
let hitl: Client;

beforeAll(async () => {
  server = await start();
  base = server.url;
  hitl = client(base, await passport(base, 'demo-hitl', 'events-user'));
});
afterAll(() => server.close());
beforeEach(() => admin(base, 'POST', '/reset'));

const events = (app: Client, runId: string) => app.get(`/api/workflow/${runId}/events`);

async function history(conversationId: string): Promise<Record<string, any>> {
  const res = await hitl.get(`/api/messages?conversation_id=${conversationId}`);
  return ((await res.json()) as { data: Record<string, any>[] }).data[0]!;
}

/** Opens the events stream; the mock subscribes before it answers, so nothing published afterwards is missed. */
async function subscribe(runId: string): Promise<SseReader> {
  const res = await events(hitl, runId);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-cache');
  return new SseReader(res);
}

describe('resuming after the form is submitted', () => {
  it('human_input_form_filled, workflow_started(resumption), the rest of the answer, message_end, workflow_finished, then closed', async () => {
    const paused = await askUntilPaused(hitl);
    const reader = await subscribe(paused.runId);
    await submitForm(base, paused.form.form_token, { inputs: validInputs(), action: 'approve' });
    const resumed = await reader.all();
    expect(reader.blocks[0]).toBe('ping');
    const order = names(resumed).filter((n) => n !== 'message');
    expect(order.slice(0, 3)).toEqual(['human_input_form_filled', 'workflow_started', 'node_finished']);
    expect(order.slice(-2)).toEqual(['message_end', 'workflow_finished']);
    const filled = resumed[0]!;
    expect(filled.workflow_run_id).toBe(paused.runId);
    expect(filled.data).toEqual({
      node_id: 'human_input',
      node_title: 'Review',
      rendered_content: expect.stringContaining('Ship it'),
      action_id: 'approve',
      action_text: 'Approve',
      submitted_data: { comment: 'Ship it', priority: 'high', attachment: null, extra_files: null },
    });
    expect((resumed[1]!.data as Record<string, unknown>).reason).toBe('resumption');
    expect(resumed[2]!.data).toMatchObject({ node_id: 'human_input', status: 'succeeded' });
    const text = resumed
      .filter((e) => e.event === 'message')
      .map((e) => e.answer)
      .join('');
    expect(text).toContain('Thanks, the draft is approved. Your comment: “Ship it”. Priority: **high**.');

    const item = await history(paused.conversationId);
    expect(item.status).toBe('normal');
    expect(item.answer).toContain('Here is my draft');
    expect(item.answer.endsWith(text)).toBe(true);
    const [extra] = item.extra_contents;
    expect(extra.submitted).toBe(true);
    expect(extra.form_definition).not.toHaveProperty('form_token');
    expect(extra.form_submission_data).toEqual(filled.data);
  });

  it('a run that already finished: one workflow_finished written by Python json.dumps, without conversation or message ids', async () => {
    const paused = await askUntilPaused(hitl);
    const live = await subscribe(paused.runId);
    await submitForm(base, paused.form.form_token, { inputs: validInputs(), action: 'revise' });
    const finishedLive = (await live.all()).at(-1)!;
    const res = await events(hitl, paused.runId);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await res.text();
    expect(text).toMatch(
      /^data: \{"event": "workflow_finished", "task_id": "[0-9a-f-]{36}", "workflow_run_id": "[0-9a-f-]{36}", "data": \{"id": /,
    );
    expect(text.endsWith('}\n\n')).toBe(true);
    expect(text).not.toContain('conversation_id');
    expect(text).not.toMatch(/[^\x00-\x7f]/);
    const payload = JSON.parse(text.slice(6)) as Ev;
    expect(payload.data).toEqual(finishedLive.data);
    expect(payload.task_id).toBe(finishedLive.task_id);
  });

  it('an ordinary 1.16 chatflow run can be looked up too once finished', async () => {
    await admin(base, 'POST', '/apps/demo-flow', { era: '1.16' });
    const flow = client(base, await passport(base, 'demo-flow', 'events-user'));
    const { events: streamed } = await readAll(await flow.chat({ query: 'overview', inputs: { topic: 'tea' } }));
    const res = await events(flow, streamed[0]!.workflow_run_id as string);
    const payload = JSON.parse((await res.text()).slice(6)) as Ev;
    expect(payload.event).toBe('workflow_finished');
    expect((payload.data as Record<string, unknown>).status).toBe('succeeded');
  });
});

describe('waiting for the human', () => {
  it('pings while the form is open, then closes after the idle timeout with no terminal event', async () => {
    await settings(base, { pingIntervalMs: 20, idleTimeoutMs: 300 });
    const paused = await askUntilPaused(hitl);
    const started = Date.now();
    const reader = await subscribe(paused.runId);
    expect(await reader.all()).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // The leading ping and at least one while idle (how many depends on the machine's load).
    expect(reader.pings).toBeGreaterThanOrEqual(2);
    // The form is still open: a later subscription still gets the resumed run.
    expect((await fetch(formUrl(base, paused.form.form_token))).status).toBe(200);
  });

  it('an expired form: human_input_form_timeout, the run finishes without the human; the form is 412 expired', async () => {
    await settings(base, { humanInputExpiryMs: 1500 });
    const paused = await askUntilPaused(hitl);
    const reader = await subscribe(paused.runId);
    const resumed = await reader.all();
    expect(names(resumed).slice(0, 2)).toEqual(['human_input_form_timeout', 'workflow_started']);
    expect(resumed[0]!.data).toEqual({ node_id: 'human_input', node_title: 'Review', expiration_time: paused.form.expiration_time });
    expect(names(resumed).slice(-2)).toEqual(['message_end', 'workflow_finished']);
    const res = await fetch(formUrl(base, paused.form.form_token));
    expect(res.status).toBe(412);
    expect(((await res.json()) as { code: string }).code).toBe('human_input_form_expired');
    const item = await history(paused.conversationId);
    expect(item.status).toBe('normal');
    expect(item.answer).toContain('Nobody answered the review form in time');
    expect(item.extra_contents[0]).toMatchObject({ submitted: false });
    expect(item.extra_contents[0].form_definition).not.toHaveProperty('form_token');
  });
});

describe('who may follow a run', () => {
  it("404 for an unknown run, another user's run, and on a 1.12 app", async () => {
    const paused = await askUntilPaused(hitl);
    const unknown = await events(hitl, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      code: 'not_found',
      message: 'WorkflowRun not found, id=00000000-0000-4000-8000-000000000000',
      status: 404,
    });
    const stranger = client(base, await passport(base, 'demo-hitl', 'someone-else'));
    expect((await events(stranger, paused.runId)).status).toBe(404);
    const flow = client(base, await passport(base, 'demo-flow', 'events-user'));
    expect((await events(flow, paused.runId)).status).toBe(404);
    expect((await events(hitl, paused.runId)).status).toBe(200);
  });
});

describe('1.13.0: the resumed stream ends at workflow_finished', () => {
  it('form_filled has no submitted_data, and the trailing message_end is lost', async () => {
    await admin(base, 'POST', '/apps/demo-hitl', { era: '1.13.0' });
    const paused = await askUntilPaused(hitl);
    const reader = await subscribe(paused.runId);
    await submitForm(base, paused.form.form_token, { inputs: { comment: 'fine' }, action: 'approve' });
    const resumed = await reader.all();
    expect(resumed[0]!.data).not.toHaveProperty('submitted_data');
    expect(resumed.at(-1)!.event).toBe('workflow_finished');
    expect(names(resumed)).not.toContain('message_end');
  });
});
