import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, names, passport, settings, start, UUID_RE } from './helpers.ts';
import { askUntilPaused, formUrl, submitForm, validInputs } from './hitl-helpers.ts';

/* The human-input chatflow (demo-hitl, era 1.16) up to its pause, and the public form endpoints. */
let server: MockServer;
let base: string;
let hitl: Client;

beforeAll(async () => {
  server = await start();
  base = server.url;
  hitl = client(base, await passport(base, 'demo-hitl', 'reviewer-1'));
});
afterAll(() => server.close());
beforeEach(() => admin(base, 'POST', '/reset'));

const errorOf = async (res: Response) => (await res.json()) as { code: string; message: string; status: number };

describe('the question stream pauses at the form', () => {
  it('ping, workflow and draft events, human_input_required, workflow_paused, then the server closes it', async () => {
    const paused = await askUntilPaused(hitl);
    expect(paused.blocks[0]).toBe('ping');
    const order = names(paused.events).filter((n) => n !== 'message');
    expect(order.slice(0, 2)).toEqual(['workflow_started', 'node_started']);
    expect(order.slice(-3)).toEqual(['node_started', 'human_input_required', 'workflow_paused']);
    expect(paused.events.filter((e) => e.event === 'message').length).toBeGreaterThan(1);
    expect((paused.events[0]!.data as Record<string, unknown>).reason).toBe('initial');
    expect((paused.events.at(-3)!.data as Record<string, unknown>).node_type).toBe('human-input');
  });

  it('human_input_required carries the form: placeholders, four input kinds, two actions, a token, an expiry', async () => {
    await settings(base, { humanInputExpiryMs: 120_000 });
    const { form, runId, events } = await askUntilPaused(hitl);
    const required = events.find((e) => e.event === 'human_input_required')!;
    expect(required.workflow_run_id).toMatch(UUID_RE);
    expect(Object.keys(form)).toEqual([
      'form_id',
      'node_id',
      'node_title',
      'form_content',
      'inputs',
      'actions',
      'display_in_ui',
      'form_token',
      'resolved_default_values',
      'expiration_time',
    ]);
    expect(form).toMatchObject({ node_id: 'human_input', node_title: 'Review', display_in_ui: true });
    for (const name of ['comment', 'priority', 'attachment', 'extra_files']) expect(form.form_content).toContain(`{{#$output.${name}#}}`);
    expect(form.form_content).not.toContain('reviewer_note');
    expect(form.inputs.map((i: Record<string, unknown>) => [i.type, i.output_variable_name])).toEqual([
      ['paragraph', 'comment'],
      ['paragraph', 'reviewer_note'],
      ['select', 'priority'],
      ['file', 'attachment'],
      ['file-list', 'extra_files'],
    ]);
    expect(form.inputs[0].default).toEqual({ type: 'constant', selector: [], value: 'Looks good to me.' });
    expect(form.inputs[2].option_source.value).toEqual(['low', 'normal', 'high']);
    expect(form.inputs[4].number_limits).toBe(3);
    expect(form.actions).toEqual([
      { id: 'approve', title: 'Approve', button_style: 'primary' },
      { id: 'revise', title: 'Request changes', button_style: 'default' },
    ]);
    expect(form.resolved_default_values).toEqual({ comment: 'Looks good to me.', reviewer_note: 'reviewer-1' });
    expect(form.expiration_time - Date.now() / 1000).toBeGreaterThan(100);
    expect(form.expiration_time - Date.now() / 1000).toBeLessThan(125);
    const pausedEvent = events.at(-1)!;
    expect(pausedEvent.data).toMatchObject({ workflow_run_id: runId, paused_nodes: ['human_input'], status: 'paused', outputs: {} });
    expect((pausedEvent.data as Record<string, any>).reasons[0]).toMatchObject({ TYPE: 'human_input_required', form_id: form.form_id });
  });

  it('history: the answer is paused, extra_contents holds the open form with its token', async () => {
    const { form, runId, conversationId } = await askUntilPaused(hitl);
    const list = (await (await hitl.get(`/api/messages?conversation_id=${conversationId}`)).json()) as { data: Record<string, any>[] };
    const item = list.data[0]!;
    expect(item.status).toBe('paused');
    expect(item.answer).toMatch(/^Here is my draft/);
    expect(item.extra_contents).toEqual([
      {
        type: 'human_input',
        workflow_run_id: runId,
        submitted: false,
        form_definition: {
          form_id: form.form_id,
          node_id: 'human_input',
          node_title: 'Review',
          form_content: form.form_content,
          inputs: form.inputs,
          actions: form.actions,
          display_in_ui: true,
          form_token: form.form_token,
          resolved_default_values: form.resolved_default_values,
          expiration_time: form.expiration_time,
        },
      },
    ]);
  });
});

describe('GET /api/form/human_input/<token>', () => {
  it('the form under user_actions, with the site, written by Python json.dumps; no passport needed', async () => {
    const { form } = await askUntilPaused(hitl);
    const res = await fetch(formUrl(base, form.form_token));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^\{"form_content": "### Review the draft/);
    const body = JSON.parse(text) as Record<string, any>;
    expect(Object.keys(body)).toEqual(['form_content', 'inputs', 'resolved_default_values', 'user_actions', 'expiration_time', 'site']);
    expect(body.user_actions).toEqual(form.actions);
    expect(body.site).toMatchObject({ app_id: 'a7c9e1f3-5b2d-4f6a-8c0e-3d5f7a9b1c42', end_user_id: null });
    expect(body.site.site.title).toBe('Acme Review (chatflow with human input)');
  });

  it('404 not_found for an unknown token', async () => {
    const res = await fetch(formUrl(base, 'no-such-token'));
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({ code: 'not_found', message: 'Form not found', status: 404 });
  });
});

describe('POST /api/form/human_input/<token>', () => {
  it('{} on success; afterwards every form endpoint answers 412 human_input_form_submitted', async () => {
    const { form } = await askUntilPaused(hitl);
    const res = await submitForm(base, form.form_token, { inputs: validInputs(), action: 'approve' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    for (const again of [
      await submitForm(base, form.form_token, { inputs: validInputs(), action: 'approve' }),
      await fetch(formUrl(base, form.form_token)),
      await fetch(formUrl(base, form.form_token, '/upload-token'), { method: 'POST' }),
    ]) {
      expect(again.status).toBe(412);
      expect(await errorOf(again)).toEqual({
        code: 'human_input_form_submitted',
        message: `This form has already been submitted by another user, form_id=${form.form_id}`,
        status: 412,
      });
    }
  });

  it('400 invalid_param for a malformed payload, invalid_form_data for a bad action or value; 404 for an unknown token', async () => {
    const { form } = await askUntilPaused(hitl);
    const t = form.form_token;
    expect((await errorOf(await submitForm(base, t, 'nope'))).code).toBe('bad_request');
    expect((await errorOf(await submitForm(base, t, { action: 'approve' }))).code).toBe('invalid_param');
    expect((await errorOf(await submitForm(base, t, { inputs: {}, action: 3 }))).code).toBe('invalid_param');
    const cases: [Record<string, unknown>, string, string][] = [
      [validInputs(), 'publish', 'Invalid action: publish'],
      [validInputs({ priority: 'urgent' }), 'approve', 'priority: must be one of low, normal, high'],
      [{ priority: 'low' }, 'approve', 'comment: a text value is required'],
      [
        validInputs({ attachment: { type: 'image', transfer_method: 'local_file', upload_file_id: 'x' } }),
        'approve',
        'attachment: upload_file_id was not uploaded for this form',
      ],
      [validInputs({ extra_files: [1, 2, 3, 4] }), 'approve', 'extra_files: at most 3 files'],
    ];
    for (const [inputs, action, message] of cases) {
      const res = await submitForm(base, t, { inputs, action });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toEqual({ code: 'invalid_form_data', message, status: 400 });
    }
    expect((await submitForm(base, 'unknown', { inputs: {}, action: 'approve' })).status).toBe(404);
    // None of the refused submissions closed the form.
    expect((await fetch(formUrl(base, t))).status).toBe(200);
  });
});

describe('rate limit: per IP and bucket', () => {
  it('429 web_form_rate_limit_exceeded past the limit; the POST bucket is separate', async () => {
    await settings(base, { formRateLimitMax: 2, formRateLimitWindowMs: 60_000 });
    const { form } = await askUntilPaused(hitl);
    expect((await fetch(formUrl(base, form.form_token))).status).toBe(200);
    expect((await fetch(formUrl(base, 'unknown'))).status).toBe(404);
    const limited = await fetch(formUrl(base, form.form_token));
    expect(limited.status).toBe(429);
    expect(await errorOf(limited)).toEqual({
      code: 'web_form_rate_limit_exceeded',
      message: 'Too many form requests. Please try again later.',
      status: 429,
    });
    expect((await submitForm(base, form.form_token, { inputs: validInputs(), action: 'approve' })).status).toBe(200);
  });
});

describe('older eras', () => {
  it('1.13.x forms have paragraph inputs only, no upload tokens', async () => {
    await admin(base, 'POST', '/apps/demo-hitl', { era: '1.13.1' });
    const { form } = await askUntilPaused(hitl);
    expect(form.inputs.map((i: Record<string, unknown>) => i.type)).toEqual(['paragraph', 'paragraph']);
    expect(form.form_content).not.toContain('priority');
    expect((await fetch(formUrl(base, form.form_token, '/upload-token'), { method: 'POST' })).status).toBe(404);
    expect((await submitForm(base, form.form_token, { inputs: { comment: 'ok' }, action: 'approve' })).status).toBe(200);
  });
});
