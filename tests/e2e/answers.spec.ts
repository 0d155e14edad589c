import type { Locator, Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser, type RecordedRequest } from './support/mock-control.ts';
import type { MockServer } from '../../demo/server/server.ts';

/**
 * The rich parts of an answer as a visitor meets them: markdown, agent tool steps, the chatflow
 * panel, sources, badges, the thinking section, and the actions under an answer (copy, rate,
 * regenerate, follow-ups), plus what a screen reader hears and how the conversation scrolls.
 */

type Open = (options?: { config?: unknown }) => Promise<void>;

/** Opens a host page for `token` as a fresh visitor (unless `systemVariables` says otherwise) and opens the chat. */
async function openChat(page: Page, openHostPage: Open, mockUrl: string, token: string, extra: Record<string, unknown> = {}) {
  const systemVariables = { user_id: uniqueUser(), ...((extra.systemVariables as Record<string, unknown>) ?? {}) };
  await openHostPage({ config: { token, baseUrl: mockUrl, ...extra, systemVariables } });
  await widget.bubble(page).click();
  await expect(composer(page)).toBeFocused();
  return systemVariables.user_id;
}

/** The message box, in any locale (its accessible name is translated). */
const composer = (page: Page) => widget.window(page).locator('textarea');

async function ask(page: Page, question: string) {
  await composer(page).fill(question);
  await composer(page).press('Enter');
}

const chat = (page: Page) => widget.window(page);
const turns = (page: Page) => chat(page).locator('.turn');
const lastAnswer = (page: Page) => chat(page).locator('.turn .answer').last();
const body = (answer: Locator) => answer.locator('.dcb-md');
const done = (page: Page, timeout = 15_000) => expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout });

const queryOf = (r: RecordedRequest) => (r.body as { query?: string } | null)?.query;
async function chatRequests(mock: MockServer, query: string) {
  return (await mockControl(mock).requests('/api/chat-messages')).filter((r) => r.method === 'POST' && queryOf(r) === query);
}

/** Waits until an <img> has loaded real pixels. */
async function expectLoaded(img: Locator) {
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0), { timeout: 5_000 }).toBe(true);
}

test.beforeEach(async ({ mock }) => {
  const control = mockControl(mock);
  await control.clearFaults();
  await control.settings({ tokenDelayMs: 4, chatflowOrder: 'v1.12' });
  // The mock (and its request log) belongs to this worker, whose tests run one after another.
  await control.clearRequests();
});

test.describe('with the clipboard', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('markdown: headings, an aligned table, code with its language and a working Copy code, safe links, an image, a quote', async ({
    page,
    openHostPage,
    mock,
  }) => {
    await openChat(page, openHostPage, mock.url, 'demo-chat');
    await ask(page, 'Show me some markdown');
    await done(page);
    const md = body(lastAnswer(page));

    await expect(md.getByRole('heading', { level: 1, name: 'Markdown showcase' })).toBeVisible();
    for (const name of ['Lists', 'Table', 'Code']) await expect(md.getByRole('heading', { level: 2, name })).toBeVisible();
    // Nothing of the markdown source shows through.
    const shown = await md.innerText();
    expect(shown).not.toMatch(/^#|\|---|```|\*\*renderer\*\*/m);
    await expect(md.locator('strong', { hasText: 'renderer' })).toBeVisible();

    const table = md.getByRole('table');
    await expect(table).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'Feature' })).toHaveCSS('text-align', 'left');
    await expect(table.getByRole('columnheader', { name: 'Status' })).toHaveCSS('text-align', 'center');
    await expect(table.getByRole('columnheader', { name: 'Cost' })).toHaveCSS('text-align', 'right');
    await expect(table.getByRole('cell', { name: '$1.50' })).toHaveCSS('text-align', 'right');
    await expect(table.getByRole('cell', { name: '🚧 in progress' })).toHaveCSS('text-align', 'center');
    await expect(table.getByRole('row')).toHaveCount(4);

    const blocks = md.locator('.dcb-md-code');
    await expect(blocks).toHaveCount(2);
    await expect(blocks.nth(0).locator('.dcb-md-lang')).toHaveText('ts');
    await expect(blocks.nth(1).locator('.dcb-md-lang')).toHaveText('python');
    const tsCode = 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}';
    await expect(blocks.nth(0).locator('pre code')).toHaveText(tsCode);
    const copy = blocks.nth(0).getByRole('button', { name: 'Copy code' });
    await copy.click();
    await expect(blocks.nth(0).getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tsCode);
    // The other block's button still offers to copy, and the label comes back.
    await expect(blocks.nth(1).getByRole('button', { name: 'Copy code' })).toBeVisible();
    await expect(blocks.nth(0).getByRole('button', { name: 'Copy code' })).toBeVisible({ timeout: 4_000 });

    const link = md.getByRole('link', { name: 'link to Dify' });
    await expect(link).toHaveAttribute('href', /^https:\/\/dify\.ai\/?$/);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', /\bnoopener\b/);
    const autolink = md.getByRole('link', { name: 'https://example.com/docs?x=1&y=2' });
    await expect(autolink).toHaveAttribute('target', '_blank');
    await expect(autolink).toHaveAttribute('rel', /\bnoopener\b/);

    const image = md.getByRole('img', { name: 'A small test image' });
    await expect(image).toHaveAttribute('src', `${mock.url}/files/tools/markdown-sample.png`);
    await expectLoaded(image);

    await expect(md.locator('blockquote')).toContainText('The best way to predict the future is to invent it.');
    await expect(md.locator('hr')).toHaveCount(1);
    await expect(md.locator('input[type=checkbox]')).toHaveCount(2);
  });

  test('Copy answer copies the answer text and says "Copied"', async ({ page, openHostPage, mock }) => {
    await openChat(page, openHostPage, mock.url, 'demo-chat');
    await ask(page, 'hello there');
    await done(page);
    const copy = lastAnswer(page).getByRole('button', { name: 'Copy answer' });
    await copy.click();
    await expect(lastAnswer(page).getByRole('button', { name: 'Copied' })).toBeVisible();
    const expected =
      'You asked: “hello there”.\n\nThis is a canned reply from the mock Dify server. Ask for **markdown**, **cjk**, **long**, **citations**, **think**, **moderation** or **xss** to see other answers.';
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    await expect(lastAnswer(page).getByRole('button', { name: 'Copy answer' })).toBeVisible({ timeout: 4_000 });
  });

  test('Copy answer leaves out the thinking section', async ({ page, openHostPage, mock }) => {
    await openChat(page, openHostPage, mock.url, 'demo-chat');
    await ask(page, 'think about it');
    await done(page);
    await lastAnswer(page).getByRole('button', { name: 'Copy answer' }).click();
    await expect(lastAnswer(page).getByRole('button', { name: 'Copied' })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^You asked: “think about it”\./);
    expect(copied).not.toContain('think>');
  });
});

test('agent: one step per tool with its label and icon; details show input and output as JSON; the image under its step; the answer', async ({
  page,
  openHostPage,
  mock,
}) => {
  await openChat(page, openHostPage, mock.url, 'demo-agent');
  await ask(page, 'Draw me an image of a cat');
  await done(page);
  const answer = lastAnswer(page);
  const steps = answer.getByRole('list', { name: 'Tool calls' });
  await expect(steps).toBeVisible();
  const tools = steps.locator('details.dcb-tool');
  await expect(tools).toHaveCount(2);
  const time = tools.filter({ hasText: 'Used Current Time' });
  const painter = tools.filter({ hasText: 'Used Image Generator' });
  await expect(time).toHaveCount(1);
  await expect(painter).toHaveCount(1);

  // Icons: the URL icon resolves against the API origin and loads; the emoji icon is the emoji.
  const icon = time.locator('summary img');
  await expect(icon).toHaveAttribute('src', `${mock.url}/console/api/workspaces/current/tool-provider/builtin/time/icon`);
  await expectLoaded(icon);
  await expect(painter.locator('summary .dcb-tool-emoji')).toHaveText('🎨');

  // Collapsed until the visitor opens a step.
  await expect(time.getByText('Input', { exact: true })).toBeHidden();
  await time.locator('summary').click();
  await expect(time).toHaveJSProperty('open', true);
  const [input, output] = [
    time.locator('.dcb-tool-section').filter({ hasText: 'Input' }).locator('pre'),
    time.locator('.dcb-tool-section').filter({ hasText: 'Output' }).locator('pre'),
  ];
  await expect(input).toHaveText(JSON.stringify({ current_time: { timezone: 'UTC' } }, null, 2));
  await expect(output).toHaveText(/^\{\n {2}"current_time": "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"\n\}$/);

  await painter.locator('summary').click();
  await expect(painter.locator('.dcb-tool-section').filter({ hasText: 'Input' }).locator('pre')).toHaveText(
    JSON.stringify({ image_generator: { prompt: 'Draw me an image of a cat' } }, null, 2),
  );
  await expect(painter.locator('.dcb-tool-section').filter({ hasText: 'Output' }).locator('pre')).toHaveText(
    JSON.stringify({ image_generator: 'Generated 1 image.' }, null, 2),
  );

  // The generated image sits under its step, once (not again in a files list below the answer).
  const step = steps.locator('> li');
  await expect(step).toHaveCount(1);
  const image = step.locator('img.dcb-answer-image');
  await expect(image).toHaveCount(1);
  await expect(image).toHaveAttribute(
    'src',
    new RegExp(`^${mock.url.replace(/[.]/g, '\\.')}/files/tools/[0-9a-f-]{36}\\.png\\?timestamp=`),
  );
  await expectLoaded(image);
  await expect(answer.locator('img.dcb-answer-image')).toHaveCount(1);

  await expect(body(answer)).toContainText(
    /It is \d\d:\d\d UTC \(I asked the current_time tool\)\. You asked: “Draw me an image of a cat”\. I also generated the image shown above\./,
  );
});

test('agent: the generated image is described by the tools of the round that made it', async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url, 'demo-agent');
  await ask(page, 'Draw me an image of a cat');
  await done(page);
  // One round called both tools and Dify does not say which made the file: naming only the first
  // ("Image from Current Time") would mislead a screen-reader user, so the alt names both.
  const image = lastAnswer(page).locator('img.dcb-answer-image');
  await expect(image).toBeVisible();
  await expect(image).toHaveAttribute('alt', 'Image from Current Time, Image Generator');
});

test("agent: with locale zh-Hans the tool step reads in Chinese, with the tool's zh_Hans label", async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url, 'demo-agent', { systemVariables: { locale: 'zh-Hans' } });
  await ask(page, 'What time is it?');
  await done(page);
  const tool = lastAnswer(page).locator('details.dcb-tool');
  await expect(tool).toHaveCount(1);
  // The tool's own zh_Hans label, in the extras' Chinese strings (which come with the Chinese pack).
  await expect(tool.locator('summary')).toHaveText('已使用 获取当前时间');
});

test.describe('chatflow', () => {
  const flow = { inputs: { topic: 'tea' } };
  const panel = (page: Page) => lastAnswer(page).locator('details.dcb-workflow');
  const node = (page: Page, title: string) =>
    panel(page)
      .locator('.dcb-wf-node')
      .filter({ has: page.locator('.dcb-wf-title', { hasText: new RegExp(`^${title}$`) }) });

  test('the Workflow panel is collapsed under its status: running while streaming, nodes appear live, then Succeeded with the time', async ({
    page,
    openHostPage,
    mock,
  }) => {
    const control = mockControl(mock);
    // The markdown answer, slowly: about 70 tokens, so the live states last a few seconds.
    await control.settings({ tokenDelayMs: 80 });
    await openChat(page, openHostPage, mock.url, 'demo-flow', flow);
    await ask(page, 'Give me an overview in markdown');
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
    await expect(panel(page)).toBeVisible();
    await expect(panel(page)).toHaveJSProperty('open', false);
    const summary = panel(page).locator('summary');
    await expect(summary).toContainText('Workflow');
    await expect(summary).toContainText('Running');
    await expect(panel(page)).toHaveAttribute('data-status', 'running');
    await expect(node(page, 'Start')).toBeHidden();

    await summary.click();
    await expect(panel(page)).toHaveJSProperty('open', true);
    await expect(node(page, 'Start')).toBeVisible();
    await expect(node(page, 'Start')).toHaveAttribute('data-status', 'succeeded');
    await expect(node(page, 'Start').locator('.dcb-elapsed')).toHaveText(/^\d+\.\d{2,3} s$/);
    await expect(node(page, 'LLM')).toBeVisible();
    await expect(node(page, 'LLM')).toHaveAttribute('data-status', 'running');
    await expect(node(page, 'LLM')).toContainText('Running'); // spelled out for screen readers
    await expect(node(page, 'Answer')).toHaveCount(0);
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
    await expect(body(lastAnswer(page))).toContainText('Markdown showcase');

    // The next node appears when it runs.
    await expect(node(page, 'Answer')).toHaveAttribute('data-status', 'succeeded', { timeout: 15_000 });
    await done(page);
    await expect(node(page, 'LLM')).toHaveAttribute('data-status', 'succeeded');
    await expect(summary).toContainText('Succeeded');
    await expect(summary.locator('.dcb-elapsed')).toHaveText(/^\d+\.\d{2,3} s$/);
    await expect(panel(page)).toHaveAttribute('data-status', 'succeeded');
    await expect(body(lastAnswer(page))).toContainText("That's all: headings, lists");
  });

  test('the Workflow panel a visitor opened while the answer streams stays open when it ends', async ({ page, openHostPage, mock }) => {
    const control = mockControl(mock);
    await control.settings({ tokenDelayMs: 80 });
    await openChat(page, openHostPage, mock.url, 'demo-flow', flow);
    await ask(page, 'Give me an overview in markdown');
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
    await panel(page).locator('summary').click();
    await expect(node(page, 'LLM')).toBeVisible();
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming'); // opened while live
    await done(page);
    // The visitor's choice stands (WorkflowPanel: "afterwards the visitor's choice stands").
    await expect(panel(page)).toHaveJSProperty('open', true);
    await expect(node(page, 'Answer')).toBeVisible();
  });

  test('iterate: rounds of an iteration nest under it', async ({ page, openHostPage, mock }) => {
    await openChat(page, openHostPage, mock.url, 'demo-flow', flow);
    await ask(page, 'Iterate over three ideas');
    await done(page);
    await panel(page).locator('summary').click();
    const loop = panel(page).locator('.dcb-wf-loop');
    await expect(loop).toHaveCount(1);
    await expect(loop.locator('.dcb-wf-row').first()).toContainText('Iteration');
    await expect(loop).toHaveAttribute('data-status', 'succeeded');
    const rounds = loop.locator('.dcb-wf-round');
    await expect(rounds).toHaveCount(3);
    for (let i = 0; i < 3; i++) {
      await expect(rounds.nth(i).locator('.dcb-wf-round-label')).toHaveText(`Round ${i + 1}`);
      await expect(rounds.nth(i).locator('.dcb-wf-node')).toHaveCount(1);
      await expect(rounds.nth(i).locator('.dcb-wf-title')).toHaveText('Code');
    }
    // The top level: Start, the iteration, LLM, Answer — the inner Code nodes only inside it.
    const top = panel(page).locator('.dcb-workflow-body > .dcb-wf-list > li');
    await expect(top).toHaveCount(4);
    await expect(top.locator('> .dcb-wf-row .dcb-wf-title')).toHaveText(['Start', 'Iteration', 'LLM', 'Answer']);
    await expect(panel(page).locator('summary')).toContainText('Succeeded');
  });

  test('fail: the panel says Failed with the error, and the conversation shows the error with Retry', async ({
    page,
    openHostPage,
    mock,
  }) => {
    await openChat(page, openHostPage, mock.url, 'demo-flow', flow);
    await ask(page, 'Make the workflow fail');
    const error = lastAnswer(page).locator('.error-note');
    await expect(error).toBeVisible({ timeout: 10_000 });
    await expect(error).toContainText('upstream model unavailable');
    await expect(error.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(panel(page)).toHaveAttribute('data-status', 'failed');
    await expect(panel(page).locator('summary')).toContainText('Failed');
    await panel(page).locator('summary').click();
    await expect(node(page, 'LLM')).toHaveAttribute('data-status', 'failed');
    await expect(node(page, 'LLM').locator('.dcb-node-error')).toContainText('upstream model unavailable');
    await expect(panel(page).locator('> .dcb-node-error')).toContainText('Node LLM run failed');
    await expect(page.getByRole('button', { name: 'Send message' })).toBeVisible();

    // Retry asks the same question again, in the same conversation, in place of the failed answer.
    await error.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(async () => (await chatRequests(mock, 'Make the workflow fail')).length).toBe(2);
    const [first, again] = (await chatRequests(mock, 'Make the workflow fail')).map(
      (r) => r.body as { conversation_id: string; inputs: unknown },
    );
    expect(again!.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first!.inputs).toEqual({ topic: 'tea' });
    await expect(lastAnswer(page).locator('.error-note')).toContainText('upstream model unavailable', { timeout: 10_000 });
    await expect(turns(page)).toHaveCount(1);
  });

  test('terminal order of newer servers (message_end before workflow_finished) still completes', async ({ page, openHostPage, mock }) => {
    await mockControl(mock).settings({ chatflowOrder: 'newest' });
    try {
      await openChat(page, openHostPage, mock.url, 'demo-flow', flow);
      await ask(page, 'Give me an overview');
      await done(page);
      await expect(panel(page)).toHaveAttribute('data-status', 'succeeded');
      await expect(panel(page).locator('summary')).toContainText('Succeeded');
      await expect(panel(page).locator('summary .dcb-elapsed')).toHaveText(/^\d+\.\d{2,3} s$/);
      await expect(body(lastAnswer(page))).toContainText('This answer was streamed by the LLM node');
      await expect(lastAnswer(page).getByRole('button', { name: 'Regenerate answer' })).toBeVisible();
    } finally {
      await mockControl(mock).settings({ chatflowOrder: 'v1.12' });
    }
  });

  test('reasoning renders as a collapsible Thinking section', async ({ page, openHostPage, mock }) => {
    await openChat(page, openHostPage, mock.url, 'demo-flow', flow);
    await ask(page, 'Show your reasoning');
    await done(page);
    const think = body(lastAnswer(page)).locator('details.dcb-md-think');
    await expect(think).toHaveCount(1);
    await expect(think.locator('summary')).toHaveText('Thinking');
    await expect(think).toHaveJSProperty('open', false);
    await expect(think.getByText('I will outline the topic first')).toBeHidden();
    await think.locator('summary').click();
    await expect(
      think.getByText(/The user asked about "Show your reasoning"\. I will outline the topic first, then answer briefly\./),
    ).toBeVisible();
    // The answer itself is outside the section.
    await expect(body(lastAnswer(page)).locator('> .dcb-md-chunk > p', { hasText: 'Here is a friendly take on' })).toBeVisible();
  });
});

test('citations: Sources lists the documents; opening one shows its excerpt and score', async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  await ask(page, 'Answer with citations');
  await done(page);
  const sources = lastAnswer(page).getByRole('region', { name: 'Sources' });
  await expect(sources).toBeVisible();
  const refund = sources.getByRole('button', { name: /refund-policy\.md/ });
  const shipping = sources.getByRole('button', { name: /shipping-faq\.pdf/ });
  await expect(refund).toContainText('1 segment');
  await expect(shipping).toBeVisible();
  await expect(refund).toHaveAttribute('aria-expanded', 'false');
  await expect(sources.getByText('Refunds are issued within 14 days')).toBeHidden();

  await refund.click();
  await expect(refund).toHaveAttribute('aria-expanded', 'true');
  await expect(sources.getByText('Refunds are issued within 14 days after we receive the returned item.')).toBeVisible();
  await expect(sources.getByText('score 0.92')).toBeVisible();
  await expect(sources.getByText('Standard shipping takes')).toBeHidden();
  await shipping.click();
  await expect(sources.getByText('Standard shipping takes 3–5 business days; express shipping takes 1–2.')).toBeVisible();
  await expect(sources.getByText('score 0.81')).toBeVisible();
  await refund.click();
  await expect(sources.getByText('Refunds are issued within 14 days')).toBeHidden();
});

test('feedback: like and dislike are sent, pressed, cleared by a second press, and survive a reload', async ({
  page,
  openHostPage,
  mock,
}) => {
  const control = mockControl(mock);
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  await ask(page, 'rate this');
  await done(page);
  const like = lastAnswer(page).getByRole('button', { name: 'Good answer' });
  const dislike = lastAnswer(page).getByRole('button', { name: 'Bad answer' });
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await expect(dislike).toHaveAttribute('aria-pressed', 'false');

  // The answer's message id, as the widget knows it (it asked for its follow-ups).
  await expect(chat(page).getByRole('list', { name: 'Suggested questions' }).getByRole('button')).toHaveCount(3);
  const passport = (await chatRequests(mock, 'rate this'))[0]!.headers['x-app-passport'];
  const suggested = (await control.requests('/api/messages/')).filter(
    (r) => r.path.endsWith('/suggested-questions') && r.headers['x-app-passport'] === passport,
  );
  const messageId = /^\/api\/messages\/([0-9a-f-]{36})\/suggested-questions$/.exec(suggested[suggested.length - 1]!.path)![1]!;
  const feedbacks = async () =>
    (await control.requests('/api/messages/'))
      .filter((r) => r.method === 'POST' && r.path === `/api/messages/${messageId}/feedbacks`)
      .map((r) => r.body);

  await like.click();
  await expect(like).toHaveAttribute('aria-pressed', 'true');
  await expect(dislike).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(feedbacks).toEqual([{ rating: 'like' }]);

  await like.click();
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(feedbacks).toEqual([{ rating: 'like' }, { rating: null }]);

  await dislike.click();
  await expect(dislike).toHaveAttribute('aria-pressed', 'true');
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(feedbacks).toEqual([{ rating: 'like' }, { rating: null }, { rating: 'dislike' }]);
  const statuses = (await control.requests('/api/messages/'))
    .filter((r) => r.path === `/api/messages/${messageId}/feedbacks`)
    .map((r) => r.status);
  expect(statuses).toEqual([200, 200, 200]);

  await page.reload();
  await widget.bubble(page).click();
  await expect(turns(page)).toHaveCount(1);
  await expect(lastAnswer(page).getByRole('button', { name: 'Bad answer' })).toHaveAttribute('aria-pressed', 'true');
  await expect(lastAnswer(page).getByRole('button', { name: 'Good answer' })).toHaveAttribute('aria-pressed', 'false');
  // The rating came back with the history, not from memory of the page.
  const history = (await control.requests('/api/messages')).filter((r) => r.path === '/api/messages' && r.method === 'GET');
  expect(history.length).toBeGreaterThanOrEqual(1);
});

test('regenerate: a new answer to the same question in the same conversation, "1 / 2" switches between them, and a reload shows the newest as 2 / 2', async ({
  page,
  openHostPage,
  mock,
}) => {
  const control = mockControl(mock);
  const question = 'What is your refund policy?';
  // The mock's answer to a question is always the same text; a first answer stopped part-way
  // makes the two answers tell apart.
  await control.settings({ tokenDelayMs: 120 });
  const visitor = await openChat(page, openHostPage, mock.url, 'demo-chat');
  await ask(page, question);
  await expect(body(lastAnswer(page))).toContainText('You asked:');
  await page.getByRole('button', { name: 'Stop answering' }).click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
  const partial = (await body(lastAnswer(page)).innerText()).trim();
  expect(partial).not.toContain('to see other answers');
  await control.settings({ tokenDelayMs: 4 });

  await lastAnswer(page).getByRole('button', { name: 'Regenerate answer' }).click();
  await done(page);
  await expect(turns(page)).toHaveCount(1);
  await expect(turns(page).locator('.question-text')).toHaveText(question);
  const full = `You asked: “${question}”.`;
  await expect(body(lastAnswer(page))).toContainText(full);
  await expect(body(lastAnswer(page))).toContainText('to see other answers.');

  const requests = await chatRequests(mock, question);
  expect(requests).toHaveLength(2);
  const [first, second] = requests.map((r) => r.body as { conversation_id: string; parent_message_id: string | null });
  expect(first!.conversation_id).toBe('');
  expect(second!.parent_message_id).toBe(first!.parent_message_id);
  // The fresh visitor has exactly one conversation on the server: the one the first question made.
  // The request log masks passports; a passport for the same user_id reaches the same end user.
  const signIn = await fetch(`${mock.url}/api/passport?user_id=${encodeURIComponent(visitor)}`, { headers: { 'X-App-Code': 'demo-chat' } });
  const headers = { 'X-App-Code': 'demo-chat', 'X-App-Passport': ((await signIn.json()) as { access_token: string }).access_token };
  const list = (await (await fetch(`${mock.url}/api/conversations?limit=20`, { headers })).json()) as { data: Array<{ id: string }> };
  expect(list.data).toHaveLength(1);
  expect(second!.conversation_id).toBe(list.data[0]!.id);

  const variants = lastAnswer(page).getByRole('group', { name: 'Answer 2 of 2' });
  await expect(variants).toBeVisible();
  await expect(variants).toContainText('2 / 2');
  await expect(variants.getByRole('button', { name: 'Next answer' })).toBeDisabled();
  await variants.getByRole('button', { name: 'Previous answer' }).click();
  const firstShown = lastAnswer(page).getByRole('group', { name: 'Answer 1 of 2' });
  await expect(firstShown).toContainText('1 / 2');
  await expect(firstShown.getByRole('button', { name: 'Previous answer' })).toBeDisabled();
  await expect.poll(async () => (await body(lastAnswer(page)).innerText()).trim()).toBe(partial);
  await expect(lastAnswer(page)).toContainText('Stopped');
  await firstShown.getByRole('button', { name: 'Next answer' }).click();
  await expect(lastAnswer(page).getByRole('group', { name: 'Answer 2 of 2' })).toBeVisible();
  await expect(body(lastAnswer(page))).toContainText('to see other answers.');

  await page.reload();
  await widget.bubble(page).click();
  await expect(turns(page).first()).toContainText(question);
  await expect(turns(page)).toHaveCount(1);
  await expect(body(lastAnswer(page))).toContainText('to see other answers.');
  await expect(lastAnswer(page).getByRole('group', { name: 'Answer 2 of 2' })).toContainText('2 / 2');
});

test('regenerate a later answer: same parent, same conversation, and a reload keeps 2 / 2', async ({ page, openHostPage, mock }) => {
  const control = mockControl(mock);
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  await ask(page, 'first question');
  await done(page);
  await control.settings({ tokenDelayMs: 120 });
  await ask(page, 'second question');
  await expect(body(lastAnswer(page))).toContainText('You asked:');
  await page.getByRole('button', { name: 'Stop answering' }).click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
  await control.settings({ tokenDelayMs: 4 });
  await lastAnswer(page).getByRole('button', { name: 'Regenerate answer' }).click();
  await done(page);
  await expect(turns(page)).toHaveCount(2);
  const [a, b] = (await chatRequests(mock, 'second question')).map(
    (r) => r.body as { conversation_id: string; parent_message_id: string | null },
  );
  expect(a!.parent_message_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(b!.parent_message_id).toBe(a!.parent_message_id);
  expect(b!.conversation_id).toBe(a!.conversation_id);
  await expect(lastAnswer(page).getByRole('group', { name: 'Answer 2 of 2' })).toBeVisible();

  await page.reload();
  await widget.bubble(page).click();
  await expect(turns(page)).toHaveCount(2);
  await expect(lastAnswer(page).getByRole('group', { name: 'Answer 2 of 2' })).toBeVisible();
  await expect(body(lastAnswer(page))).toContainText('to see other answers.');
});

test('follow-ups: three suggested questions after an answer; one click asks it', async ({ page, openHostPage, mock }) => {
  const control = mockControl(mock);
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  await ask(page, 'opening hours');
  await done(page);
  const chips = chat(page).getByRole('list', { name: 'Suggested questions' }).getByRole('button');
  await expect(chips).toHaveText(['Can you tell me more about "opening hours"?', 'Show me some markdown', 'Answer with citations']);
  const passport = (await chatRequests(mock, 'opening hours'))[0]!.headers['x-app-passport'];
  const calls = (await control.requests('/api/messages/')).filter(
    (r) => r.method === 'GET' && r.path.endsWith('/suggested-questions') && r.headers['x-app-passport'] === passport,
  );
  expect(calls.length).toBeGreaterThanOrEqual(1);
  const messageId = /^\/api\/messages\/([0-9a-f-]{36})\/suggested-questions$/.exec(calls[calls.length - 1]!.path)![1];

  await chips.filter({ hasText: 'Answer with citations' }).click();
  await expect(turns(page)).toHaveCount(2);
  await expect(turns(page).last().locator('.question-text')).toHaveText('Answer with citations');
  await expect(chips.filter({ hasText: 'opening hours' })).toHaveCount(0);
  await done(page);
  await expect(lastAnswer(page).getByRole('region', { name: 'Sources' })).toBeVisible();
  const sent = await chatRequests(mock, 'Answer with citations');
  expect(sent).toHaveLength(1);
  expect((sent[0]!.body as { parent_message_id: string }).parent_message_id).toBe(messageId);
  // New follow-ups for the new answer.
  await expect(chat(page).getByRole('list', { name: 'Suggested questions' }).getByRole('button')).toHaveCount(3);
  await expect(chips.first()).toHaveText('Can you tell me more about "Answer with citations"?');
});

test('think: the <think> section is a collapsible Thinking section, open while thinking, never raw text', async ({
  page,
  openHostPage,
  mock,
}) => {
  await mockControl(mock).settings({ tokenDelayMs: 100 });
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  await ask(page, 'What do you think?');
  const think = body(lastAnswer(page)).locator('details.dcb-md-think');
  // While the model thinks, the section is open and the reasoning streams in it.
  await expect(think).toHaveJSProperty('open', true);
  await expect(think.locator('summary')).toHaveText('Thinking');
  await expect(body(lastAnswer(page))).not.toContainText('<think');
  await mockControl(mock).settings({ tokenDelayMs: 4 });
  await done(page);
  await expect(think).toHaveCount(1);
  await expect(think).toHaveJSProperty('open', false);
  const md = body(lastAnswer(page));
  expect(await md.innerText()).not.toMatch(/<\/?think>/);
  await expect(md.locator('> .dcb-md-chunk > p').first()).toContainText('You asked: “What do you think?”.');
  await think.locator('summary').click();
  await expect(think.getByText(/Step 1: read the question\./)).toBeVisible();
});

test('moderation: the replaced text shows, not the original, with the moderation note', async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  await ask(page, 'Test the moderation filter');
  await done(page);
  await expect(body(lastAnswer(page))).toHaveText("I'm sorry, but I can't help with that request.");
  await expect(lastAnswer(page)).not.toContainText('forbidden content');
  await expect(lastAnswer(page).getByText('This answer was replaced by the moderation filter.')).toBeVisible();
});

test('annotation: the reply carries the "edited" badge', async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  await ask(page, 'annotation please');
  await done(page);
  await expect(body(lastAnswer(page))).toHaveText(
    'This reply comes from an annotation that a human curated in Dify, sent one character at a time.',
  );
  await expect(lastAnswer(page).getByText('Answer edited by Acme Admin')).toBeVisible();
});

test('screen readers: the conversation is a log, and a long streamed answer is announced once, when finished', async ({
  page,
  openHostPage,
  mock,
}) => {
  await mockControl(mock).settings({ tokenDelayMs: 20 });
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  const log = chat(page).getByRole('log', { name: 'Acme Support (chat)' });
  await expect(log).toBeVisible();
  // The log itself must not read tokens out.
  await expect(log).toHaveAttribute('aria-live', 'off');

  await chat(page).evaluate((host) => {
    const root = host.shadowRoot!;
    const regions = [...root.querySelectorAll('[aria-live="polite"], [aria-live="assertive"], [role="status"], [role="alert"]')].filter(
      (el) => !el.closest('[role="log"]'),
    );
    const w = window as unknown as { __announced: string[]; __regions: number };
    w.__announced = [];
    w.__regions = regions.length;
    for (const region of regions) {
      let last = region.textContent ?? '';
      new MutationObserver(() => {
        const now = (region.textContent ?? '').trim();
        if (now !== last) {
          last = now;
          if (now) w.__announced.push(now);
        }
      }).observe(region, { childList: true, subtree: true, characterData: true });
    }
  });
  expect(await page.evaluate(() => (window as unknown as { __regions: number }).__regions)).toBeGreaterThanOrEqual(1);

  await ask(page, 'Tell me something long');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  await done(page, 25_000);
  await page.waitForTimeout(300);
  const announced = await page.evaluate(() => (window as unknown as { __announced: string[] }).__announced);
  expect(announced).toHaveLength(1);
  expect(announced[0]).toMatch(/^A long answer Section 1 /);
  expect(announced[0]!.length).toBeLessThanOrEqual(301);
});

test('sticky scroll: a streaming answer keeps the view at the bottom until the visitor scrolls up; "Jump to latest" returns', async ({
  page,
  openHostPage,
  mock,
}) => {
  await mockControl(mock).settings({ tokenDelayMs: 30 });
  await openChat(page, openHostPage, mock.url, 'demo-chat');
  const scroller = chat(page).locator('.conversation');
  const metrics = () =>
    scroller.evaluate((el) => ({
      top: el.scrollTop,
      height: el.scrollHeight,
      client: el.clientHeight,
      gap: el.scrollHeight - el.scrollTop - el.clientHeight,
    }));
  await ask(page, 'Tell me something long');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  // Content grows well past the window, and the view follows it.
  await expect
    .poll(
      async () => {
        const m = await metrics();
        return m.height - m.client;
      },
      { timeout: 10_000 },
    )
    .toBeGreaterThan(600);
  for (let i = 0; i < 3; i++) {
    expect((await metrics()).gap).toBeLessThanOrEqual(2);
    await page.waitForTimeout(150);
  }
  const jump = chat(page).getByRole('button', { name: /Jump to latest/ });
  await expect(jump).toHaveCount(0);

  await scroller.hover();
  await page.mouse.wheel(0, -500);
  await expect(jump).toBeVisible();
  const held = await metrics();
  expect(held.gap).toBeGreaterThan(100);
  await page.waitForTimeout(600);
  const later = await metrics();
  expect(later.height).toBeGreaterThan(held.height); // still streaming
  expect(later.top).toBe(held.top); // but the view stays where the visitor put it
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');

  await jump.click();
  await expect(jump).toHaveCount(0);
  await expect.poll(async () => (await metrics()).gap).toBeLessThanOrEqual(2);
  // Following again: still at the bottom as more text arrives.
  const before = await metrics();
  await expect.poll(async () => (await metrics()).height).toBeGreaterThan(before.height);
  expect((await metrics()).gap).toBeLessThanOrEqual(2);
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  // The actions that appear under the ended answer are brought into view too.
  await page.getByRole('button', { name: 'Stop answering' }).click();
  await expect(lastAnswer(page).getByRole('button', { name: 'Regenerate answer' })).toBeInViewport();
  await expect.poll(async () => (await metrics()).gap).toBeLessThanOrEqual(2);
});

/** Opens the chat, asks for the long markdown answer and waits until it ended with the view at the bottom. */
async function markdownAnswerAtBottom(page: Page, openHostPage: Open, mockUrl: string) {
  await openChat(page, openHostPage, mockUrl, 'demo-chat');
  const scroller = chat(page).locator('.conversation');
  const gap = () => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  await ask(page, 'Show me some markdown');
  await done(page);
  await expect.poll(gap).toBeLessThanOrEqual(2);
  return { scroller, gap };
}

test('sticky scroll: our own scroll to the bottom, reported after more content came in, does not let go of the bottom', async ({
  page,
  openHostPage,
  mock,
}) => {
  const { scroller, gap } = await markdownAnswerAtBottom(page, openHostPage, mock.url);
  // Still following, a few pixels up (within the sticky zone), as after a small wheel movement.
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight - el.clientHeight - 10));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  // In one task: a scroll to the bottom (as the widget's own) and a burst of content (a busy
  // machine's batch of tokens). The scroll's event comes a frame later and sees a 600 px gap.
  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
    const burst = document.createElement('div');
    burst.style.height = '600px';
    el.firstElementChild!.append(burst);
  });
  await expect.poll(gap).toBeLessThanOrEqual(2);
  await expect(chat(page).getByRole('button', { name: /Jump to latest/ })).toHaveCount(0);
});

test('sticky scroll: a question sent after scrolling up brings the view back to the bottom', async ({ page, openHostPage, mock }) => {
  const { scroller, gap } = await markdownAnswerAtBottom(page, openHostPage, mock.url);
  await scroller.hover();
  await page.mouse.wheel(0, -800);
  const jump = chat(page).getByRole('button', { name: /Jump to latest/ });
  await expect(jump).toBeVisible();

  // The visitor types a new question: they expect to see it, and its answer, not the old text.
  await ask(page, 'and now a short one');
  await done(page);
  await expect(turns(page).last().locator('.question-text')).toBeInViewport();
  await expect(lastAnswer(page).getByRole('button', { name: 'Copy answer' })).toBeInViewport();
  await expect.poll(gap).toBeLessThanOrEqual(2);
  await expect(jump).toHaveCount(0);
});
