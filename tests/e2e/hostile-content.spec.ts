import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';
import { ALL_PAYLOADS, auditWidget, installXssTraps, PAYLOADS, rewriteResponses, rewriteSse } from './support/xss-audit.ts';

/*
 * The XSS battery (docs/ARCHITECTURE.md §3 markdown: "No HTML string is ever put into the DOM"): hostile text in
 * every place server, model or config text reaches the widget. Each test renders it all, then
 * asserts: nothing executed (alert/confirm/prompt/print and window.__xssHit are trapped, dialogs
 * watched); no script, iframe, object, embed, form, math or foreign SVG appeared in either shadow
 * root, not even for a moment mid-stream; no on* attribute; every href/src is http(s), mailto or
 * tel; and the hostile text is visible as literal text where the widget shows that field.
 */

const APPS = JSON.parse(readFileSync('demo/apps.json', 'utf8')) as Record<
  string,
  { site: Record<string, unknown>; parameters: Record<string, unknown> }
>;
const panel = (page: Page) => page.locator('#dify-chatbot-bubble-window .panel');
const lastAnswer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  await mockControl(mock).settings({ tokenDelayMs: 4 });
});

/** Patches an app's /api/site and /api/parameters for one test, then puts the demo values back. */
async function withApp(
  mockUrl: { url: string },
  code: string,
  change: { site?: Record<string, unknown>; parameters?: Record<string, unknown> },
  body: () => Promise<void>,
) {
  const control = mockControl(mockUrl as never);
  const original = APPS[code]!;
  await control.app(code, change);
  try {
    await body();
  } finally {
    const restore: Record<string, unknown> = {};
    if (change.site) restore.site = Object.fromEntries(Object.keys(change.site).map((k) => [k, original.site[k] ?? null]));
    if (change.parameters)
      restore.parameters = Object.fromEntries(Object.keys(change.parameters).map((k) => [k, original.parameters[k] ?? null]));
    await control.app(code, restore);
  }
}

async function openChat(page: Page, openHostPage: (o: { head: string }) => Promise<void>, config: Record<string, unknown>) {
  // The config is written into the page as a site would: JSON with `<` escaped, so a hostile value
  // cannot end the <script> element early (the page's job, not the widget's).
  const json = JSON.stringify({ systemVariables: { user_id: uniqueUser('xss') }, ...config }).replace(/</g, '\\u003c');
  await openHostPage({ head: `<script>window.difyChatbotConfig = ${json};</script>` });
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeVisible();
}

async function ask(page: Page, question: string) {
  await widget.composer(page).fill(question);
  await widget.composer(page).press('Enter');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', /done|error|stopped/, { timeout: 15_000 });
}

/** The audit every test ends with. */
async function expectNothingRan(page: Page, traps: { dialogs: string[] }) {
  // Let late events (image errors, lazy loads) fire before judging.
  await page.evaluate(() => new Promise((done) => setTimeout(done, 300)));
  const report = await auditWidget(page);
  expect(report.executed, 'trapped alert/confirm/prompt/print/__xssHit calls').toBeNull();
  expect(traps.dialogs, 'real dialogs').toEqual([]);
  expect(report.live, 'forbidden nodes or on* attributes seen at any time').toEqual([]);
  expect(report.found, 'forbidden nodes, attributes or URLs in the shadow roots now').toEqual([]);
  expect(report.elements).toBeGreaterThan(20);
}

test('answers: the `xss` battery streamed as markdown, a hostile question, its think block and follow-ups all stay text', async ({
  page,
  openHostPage,
  mock,
}) => {
  const traps = await installXssTraps(page);
  await openChat(page, openHostPage, { token: 'demo-chat', baseUrl: mock.url });
  const question = `xss think ${PAYLOADS.img} ${PAYLOADS.svg}`;
  await ask(page, question);
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');

  // The question as typed, the model's HTML as source text, code as code.
  await expect(page.locator('#dify-chatbot-bubble-window .question-text').last()).toHaveText(question);
  await expect(answer).toContainText(`<script>alert('xss-script')</script>`);
  await expect(answer).toContainText(`<img src=x onerror="alert('xss-img')">`);
  await expect(answer).toContainText(`<svg onload="alert('xss-svg')">`);
  await expect(answer).toContainText(`<iframe src="javascript:alert('xss-iframe')"></iframe>`);
  await expect(answer.locator('code', { hasText: `<script>alert('xss-code')</script>` })).toBeVisible();
  await expect(answer.locator('pre code', { hasText: `<script>alert('this is only a code block')</script>` })).toBeVisible();
  // Hostile links keep their words but lose their destinations; hostile images are not loaded.
  for (const text of ['javascript link', 'entity-encoded link', 'mixed-case link', 'data: link', 'vbscript link']) {
    await expect(answer.getByText(text)).toBeVisible();
    await expect(answer.getByRole('link', { name: text })).toHaveCount(0);
  }
  await expect(answer.locator('img')).toHaveCount(0);
  // The think block echoes the question as text.
  await expect(answer).toContainText(`The user wrote: "${question.slice(0, 40)}`);
  // Follow-up questions from the server (they quote the question) are plain text on buttons.
  await expect(panel(page).getByRole('button', { name: /^Can you tell me more about "xss think <img src=x/ })).toBeVisible();
  await expectNothingRan(page, traps);
});

test('site and parameters: title, placeholder, icon, theme, opening statement, suggested questions, description, copyright, disclaimer', async ({
  page,
  openHostPage,
  mock,
}) => {
  const traps = await installXssTraps(page);
  const site = {
    title: PAYLOADS.img,
    input_placeholder: PAYLOADS.quoted,
    icon_type: 'emoji',
    icon: `<b onmouseover=alert(1)>🤖</b>`,
    icon_background: 'red;background:url(javascript:alert(1))',
    chat_color_theme: '#fff;background:url(javascript:alert(1))',
    description: ALL_PAYLOADS,
    copyright: PAYLOADS.script,
    privacy_policy: PAYLOADS.link,
    custom_disclaimer: ALL_PAYLOADS,
  };
  const parameters = {
    opening_statement: `Hi {{name}}! ${PAYLOADS.script} ${PAYLOADS.img} [click](${PAYLOADS.link})`,
    suggested_questions: [PAYLOADS.img, PAYLOADS.svg, PAYLOADS.quoted],
  };
  await withApp(mock, 'demo-chat', { site, parameters }, async () => {
    await openChat(page, openHostPage, { token: 'demo-chat', baseUrl: mock.url, inputs: { name: PAYLOADS.img } });
    const win = widget.window(page);
    await expect(win.getByRole('heading', { level: 2 })).toHaveText(PAYLOADS.img);
    await expect(win).toHaveAttribute('aria-label', PAYLOADS.img);
    await expect(widget.composer(page)).toHaveAttribute('placeholder', PAYLOADS.quoted);
    await expect(panel(page).locator('.app-icon')).toHaveText(site.icon);
    // Not a valid hex colour: ignored, the default look stays.
    await expect(panel(page).locator('.app-icon')).not.toHaveCSS('background-image', /url/);
    await expect(panel(page).locator('.header')).toHaveCSS('background-image', /gradient/);
    const welcome = panel(page).locator('.welcome-text');
    await expect(welcome).toContainText(`Hi ${PAYLOADS.img}! ${PAYLOADS.script} ${PAYLOADS.img} [click](${PAYLOADS.link})`);
    const chips = panel(page).getByRole('list', { name: 'Suggested questions' }).getByRole('button');
    await expect(chips).toHaveText([PAYLOADS.img, PAYLOADS.svg, PAYLOADS.quoted]);

    // A chip asks its hostile question; the echo comes back as markdown and stays text.
    await chips.first().click();
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
    await expect(page.locator('#dify-chatbot-bubble-window .question-text').last()).toHaveText(PAYLOADS.img);
    await expect(lastAnswer(page)).toContainText(`You asked: “${PAYLOADS.img}”`);
    await expectNothingRan(page, traps);
  });
});

test('site icon: a javascript: or SVG data: icon URL is never loaded', async ({ page, openHostPage, mock }) => {
  const traps = await installXssTraps(page);
  for (const icon_url of [
    `javascript:alert('icon')`,
    `data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="alert('icon')"/>`,
  ]) {
    await withApp(mock, 'demo-chat', { site: { icon_type: 'image', icon_url } }, async () => {
      await openChat(page, openHostPage, { token: 'demo-chat', baseUrl: mock.url });
      await expect(panel(page).getByRole('heading', { name: 'Acme Support (chat)' })).toBeVisible();
      await expect(panel(page).locator('.header img')).toHaveCount(0);
      await expectNothingRan(page, traps);
    });
  }
});

test('agent tool steps: hostile tool names, labels, inputs, observations, icons and file URLs (injected: the mock has no hostile tools)', async ({
  page,
  openHostPage,
  mock,
}) => {
  const traps = await installXssTraps(page);
  const label = `${PAYLOADS.img} Current Time`;
  await rewriteResponses(page, /\/api\/chat-messages$/, (body) =>
    rewriteSse(body, (event) => {
      if (event.event === 'agent_thought' && event.tool) {
        return {
          ...event,
          tool_labels: { current_time: { en_US: label, zh_Hans: label }, image_generator: { en_US: PAYLOADS.svg } },
          tool_input: event.tool_input ? JSON.stringify({ current_time: { timezone: PAYLOADS.script } }) : '',
          observation: event.observation ? JSON.stringify({ current_time: PAYLOADS.iframe }) : '',
          thought: PAYLOADS.quoted,
        };
      }
      if (event.event === 'message_file') return { ...event, url: `javascript:alert('file')` };
      return event;
    }),
  );
  await rewriteResponses(page, /\/api\/meta$/, () =>
    JSON.stringify({
      tool_icons: {
        current_time: `javascript:alert('icon')`,
        image_generator: { content: PAYLOADS.img, background: 'red;x:url(javascript:alert(1))' },
      },
    }),
  );
  await openChat(page, openHostPage, { token: 'demo-agent', baseUrl: mock.url });
  await ask(page, 'What time is it? Also draw me an image');
  const steps = lastAnswer(page).getByRole('list', { name: /tool/i });
  await expect(steps).toBeVisible();
  await expect(steps).toContainText(label);
  // The input and observation are there as text once expanded.
  for (const summary of await steps.locator('summary').all()) await summary.click();
  // (pretty-printed JSON: quotes inside strings are escaped, nothing else changes)
  await expect(steps).toContainText(`"timezone": "${PAYLOADS.script}"`);
  await expect(steps).toContainText(JSON.stringify(PAYLOADS.iframe));
  // The javascript: icon is not loaded; the emoji icon is cut to a few characters of text.
  await expect(steps.locator('img[src^="javascript"]')).toHaveCount(0);
  await expectNothingRan(page, traps);
});

test('citations: hostile document names, dataset names and excerpts (injected: the mock has fixed citations)', async ({
  page,
  openHostPage,
  mock,
}) => {
  const traps = await installXssTraps(page);
  await rewriteResponses(page, /\/api\/chat-messages$/, (body) =>
    rewriteSse(body, (event) => {
      if (event.event !== 'message_end') return event;
      const metadata = event.metadata as { retriever_resources: Record<string, unknown>[] };
      metadata.retriever_resources = metadata.retriever_resources.map((r, i) => ({
        ...r,
        document_name: i === 0 ? PAYLOADS.img : PAYLOADS.quoted,
        dataset_name: PAYLOADS.svg,
        title: PAYLOADS.script,
        content: `${PAYLOADS.iframe} ${PAYLOADS.math}`,
        data_source_type: PAYLOADS.link,
      }));
      return event;
    }),
  );
  await openChat(page, openHostPage, { token: 'demo-chat', baseUrl: mock.url });
  await ask(page, 'Answer with citations');
  const answer = lastAnswer(page);
  await expect(answer).toContainText(PAYLOADS.img);
  await expect(answer).toContainText(PAYLOADS.quoted);
  // Open every collapsible so the excerpts render too.
  const collapsed = answer.locator('button[aria-expanded="false"]');
  while ((await collapsed.count()) > 0) await collapsed.first().click();
  await expect(answer).toContainText(PAYLOADS.iframe);
  await expectNothingRan(page, traps);
});

test('config: hostile user name, a javascript: avatar (refused with a warning), an avatar URL full of markup, hostile inputs', async ({
  page,
  openHostPage,
  mock,
}) => {
  const traps = await installXssTraps(page);
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await openChat(page, openHostPage, {
    token: 'demo-chat',
    baseUrl: mock.url,
    userVariables: { name: PAYLOADS.script, avatar_url: `javascript:alert('avatar')` },
    inputs: { name: PAYLOADS.img },
  });
  await ask(page, 'hello');
  await expect(panel(page).locator('img.avatar')).toHaveCount(0);
  expect(warnings.join('\n')).toMatch(/\[dify-chatbot\].*avatar_url/);
  await expectNothingRan(page, traps);

  // An http(s) avatar whose URL carries markup: an attribute value, inert; the name is its alt text.
  await openChat(page, openHostPage, {
    token: 'demo-chat',
    baseUrl: mock.url,
    userVariables: {
      name: PAYLOADS.quoted,
      avatar_url: `${mock.url}/files/tools/avatar.png?x=${encodeURIComponent(PAYLOADS.quoted)}&y=${PAYLOADS.quoted}`,
    },
  });
  await ask(page, 'hello again');
  const avatar = panel(page).locator('img.avatar').last();
  await expect(avatar).toHaveAttribute('alt', PAYLOADS.quoted);
  await expect(avatar).toHaveAttribute('src', /^http:\/\/127\.0\.0\.1:\d+\/files\/tools\/avatar\.png\?/);
  await expectNothingRan(page, traps);
});

test('server error messages: a hostile error event mid-stream and a hostile 400 body show as text', async ({
  page,
  openHostPage,
  mock,
}) => {
  const traps = await installXssTraps(page);
  await openChat(page, openHostPage, { token: 'demo-chat', baseUrl: mock.url });
  await mockControl(mock).fault({ kind: 'error-event', afterEvents: 2, message: `Model failed: ${PAYLOADS.img}` });
  await ask(page, 'first');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'error');
  await mockControl(mock).fault({ kind: 'invalid-param', message: `Bad input: ${PAYLOADS.svg}` });
  await widget.composer(page).fill('second');
  await widget.composer(page).press('Enter');
  await expect(page.locator('#dify-chatbot-bubble-window .turn')).toHaveCount(2);
  await expect(page.locator('#dify-chatbot-bubble-window .turn').last().getByRole('button', { name: 'Retry' })).toBeVisible({
    timeout: 10_000,
  });
  const text = await panel(page).innerText();
  // Where the widget shows the server's words, they are the literal text.
  if (text.includes('Model failed')) expect(text).toContain(`Model failed: ${PAYLOADS.img}`);
  if (text.includes('Bad input')) expect(text).toContain(`Bad input: ${PAYLOADS.svg}`);
  await expectNothingRan(page, traps);
});

test('the traps and the audit catch a renderer that lets HTML through (so a green run means something)', async ({
  page,
  openHostPage,
  mock,
}) => {
  const traps = await installXssTraps(page);
  await openChat(page, openHostPage, { token: 'demo-chat', baseUrl: mock.url });
  await expect(panel(page).locator('.welcome-text')).toBeVisible();
  // What a renderer bug would do: put server text into the shadow root as HTML.
  await page.evaluate((html) => {
    const root = document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!;
    root.querySelector('.welcome-text')!.insertAdjacentHTML('beforeend', html);
  }, `${PAYLOADS.img}${PAYLOADS.quoted}${PAYLOADS.svg}<a href="${PAYLOADS.link}">x</a>`);
  await expect.poll(async () => (await auditWidget(page)).executed?.sort()).toEqual(['__xssHit = 1', 'alert(1)']);
  const report = await auditWidget(page);
  expect(report.live.join('\n')).toMatch(/onerror/);
  expect(report.found.join('\n')).toMatch(/onerror[\s\S]*svg[\s\S]*href="javascript:alert/);
  expect(traps.dialogs).toEqual([]);
});
