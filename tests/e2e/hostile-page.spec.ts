import type { Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

/*
 * Host pages that are not on their best behaviour: their own errors, polluted prototypes, a wrapped
 * fetch, names the widget might use already taken. The widget must still work end to end, must
 * never throw into the page (`window.onerror`) and must leave no unhandled rejection: only the
 * page's own deliberate errors may show up.
 */

const lastAnswer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  await mockControl(mock).settings({ tokenDelayMs: 4 });
});

/** Records every error and unhandled rejection the page sees, from before any page script runs. */
async function collectPageErrors(page: Page) {
  const uncaught: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => uncaught.push(e.message));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`console: ${m.text().split('\n')[0]}`));
  await page.addInitScript(() => {
    const w = window as unknown as { __pageErrors: string[] };
    w.__pageErrors = [];
    window.addEventListener('error', (e) => w.__pageErrors.push(`error: ${e.message}`));
    window.addEventListener('unhandledrejection', (e) =>
      w.__pageErrors.push(`unhandledrejection: ${String((e.reason as Error)?.message ?? e.reason)}`),
    );
  });
  return {
    /** Everything recorded, minus the messages the page produced on purpose. */
    async unexpected(deliberate: RegExp = /page-own-/) {
      const recorded = await page.evaluate(() => (window as unknown as { __pageErrors: string[] }).__pageErrors);
      return {
        recorded: recorded.filter((m) => !deliberate.test(m)),
        uncaught: uncaught.filter((m) => !deliberate.test(m)),
      };
    },
    recorded: () => page.evaluate(() => (window as unknown as { __pageErrors: string[] }).__pageErrors),
    /** Runs `step`; when it fails, the errors the page saw (and the widget's console errors) explain why. */
    async explain(step: Promise<void>) {
      try {
        await step;
      } catch (error) {
        const recorded = await page.evaluate(() => (window as unknown as { __pageErrors: string[] }).__pageErrors).catch(() => []);
        (error as Error).message += `\n\nErrors on the page: ${JSON.stringify([...recorded, ...uncaught, ...consoleErrors], null, 1)}`;
        throw error;
      }
    },
  };
}

/** Open, welcome, ask, a streamed answer, the follow-up questions: the visitor's whole path. */
async function chatWorks(page: Page) {
  await expect(widget.bubble(page)).toBeVisible();
  await widget.bubble(page).click();
  const win = widget.window(page);
  await expect(win.getByRole('heading', { name: 'Acme Support (chat)' })).toBeVisible();
  await expect(win.locator('.welcome-text')).toContainText('I am the Acme support bot');
  await expect(widget.composer(page)).toBeFocused();
  await widget.composer(page).fill('What are your opening hours?');
  await widget.composer(page).press('Enter');
  await expect(lastAnswer(page)).toContainText('You asked: “What are your opening hours?”', { timeout: 10_000 });
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  await expect(win.getByRole('list', { name: 'Suggested questions' }).getByRole('button')).toHaveCount(3);
  // Closing and reopening still works.
  await widget.bubble(page).click();
  await expect(win).toBeHidden();
  await widget.bubble(page).click();
  await expect(win).toBeVisible();
}

const config = (mockUrl: string) => ({ token: 'demo-chat', baseUrl: mockUrl, systemVariables: { user_id: uniqueUser('hostile') } });

test("the page's own uncaught error and unhandled rejection do not stop the widget, and it adds none", async ({
  page,
  openHostPage,
  mock,
}) => {
  const errors = await collectPageErrors(page);
  await openHostPage({
    config: config(mock.url),
    head: `<script>
      window.onerror = function (message) { (window.__onerror = window.__onerror || []).push(String(message)); };
      Promise.reject(new Error('page-own-rejection'));
      setTimeout(function () { throw new Error('page-own-late-error'); }, 0);
    </script>
    <script>throw new Error('page-own-error');</script>`,
  });
  await errors.explain(chatWorks(page));
  // The deliberate ones were seen (so the collector works), and nothing else.
  const recorded = await errors.recorded();
  expect(recorded).toEqual(
    expect.arrayContaining([
      expect.stringContaining('page-own-error'),
      expect.stringContaining('page-own-late-error'),
      'unhandledrejection: page-own-rejection',
    ]),
  );
  expect(await errors.unexpected()).toEqual({ recorded: [], uncaught: [] });
  const onerror = await page.evaluate(() => (window as unknown as { __onerror: string[] }).__onerror);
  expect(
    onerror.every((m) => /page-own-/.test(m)),
    `window.onerror saw only the page's own errors: ${onerror.join(' | ')}`,
  ).toBe(true);
});

/**
 * Prototype pollution a page's libraries might do, by plain assignment (so enumerable: it shows up
 * in every for…in). Grouped so a failure names the culprit.
 */
const POLLUTION: Array<{ name: string; objectProto?: Record<string, unknown>; arrayProto?: string[] }> = [
  {
    name: 'Object.prototype.foo / .extend, Array.prototype.last / .contains',
    objectProto: { foo: 'polluted', extend: 'fn' },
    arrayProto: ['last', 'contains'],
  },
  { name: "Object.prototype.event = 'message'", objectProto: { event: 'message' } },
  { name: "Object.prototype.status = 500, .code = 'x'", objectProto: { status: 500, code: 'x' } },
  {
    name: 'Object.prototype.message / .answer / .kind / .token / .error / .data',
    objectProto: {
      message: 'polluted message',
      answer: 'polluted answer',
      kind: 'polluted',
      token: 'polluted-token',
      error: 'polluted error',
      data: 'polluted data',
    },
  },
];

for (const pollution of POLLUTION) {
  test(`a page whose libraries polluted ${pollution.name}`, async ({ page, openHostPage, mock }) => {
    const errors = await collectPageErrors(page);
    await page.addInitScript(
      ({ objectProto, arrayProto }) => {
        const proto = Object.prototype as Record<string, unknown>;
        for (const [key, value] of Object.entries(objectProto)) proto[key] = value === 'fn' ? function polluted() {} : value;
        for (const key of arrayProto) {
          (Array.prototype as unknown as Record<string, unknown>)[key] = function polluted(this: unknown[]) {
            return this[this.length - 1];
          };
        }
      },
      { objectProto: pollution.objectProto ?? {}, arrayProto: pollution.arrayProto ?? [] },
    );
    await openHostPage({ config: config(mock.url) });
    await errors.explain(chatWorks(page));
    // The polluted values did not leak into what the widget shows or sends.
    await expect(page.locator('#dify-chatbot-bubble-window .panel')).not.toContainText('polluted');
    const chat = (await mockControl(mock).requests('/api/chat-messages')).filter(
      (r) => (r.body as { query?: string })?.query === 'What are your opening hours?',
    );
    expect(JSON.stringify(chat.at(-1)?.body)).not.toContain('polluted');
    expect(await errors.unexpected()).toEqual({ recorded: [], uncaught: [] });
  });
}

test('a page that wrapped window.fetch to log every call: the widget goes through it and works', async ({ page, openHostPage, mock }) => {
  const errors = await collectPageErrors(page);
  await openHostPage({
    config: config(mock.url),
    head: `<script>
      window.__fetchLog = [];
      var original = window.fetch;
      window.fetch = function (input, init) {
        window.__fetchLog.push((init && init.method || 'GET') + ' ' + String(input && input.url || input));
        return original.apply(this, arguments).then(function (response) {
          window.__fetchLog.push('status ' + response.status);
          return response;
        });
      };
    </script>`,
  });
  await errors.explain(chatWorks(page));
  const log = await page.evaluate(() => (window as unknown as { __fetchLog: string[] }).__fetchLog);
  expect(log).toEqual(expect.arrayContaining([expect.stringMatching(/^POST .*\/api\/chat-messages$/), 'status 200']));
  expect(await errors.unexpected()).toEqual({ recorded: [], uncaught: [] });
});

test('a page whose fetch wrapper adds a CSRF header by spreading init.headers: the widget keeps its own headers', async ({
  page,
  openHostPage,
  mock,
}) => {
  const errors = await collectPageErrors(page);
  const sent: Record<string, string>[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/chat-messages') && r.method() === 'POST') sent.push(r.headers());
  });
  await openHostPage({
    config: config(mock.url),
    // The naive wrapper found on many sites: it assumes headers are a plain object.
    head: `<script>
      var original = window.fetch;
      window.fetch = function (input, init) {
        init = init || {};
        return original(input, Object.assign({}, init, { headers: Object.assign({}, init.headers, { 'X-CSRF-Token': 'page-csrf' }) }));
      };
    </script>`,
  });
  await errors.explain(chatWorks(page));
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.at(-1)).toMatchObject({ 'x-csrf-token': 'page-csrf', 'x-app-code': 'demo-chat' });
  expect(sent.at(-1)!.authorization).toMatch(/^Bearer /);
  expect(await errors.unexpected()).toEqual({ recorded: [], uncaught: [] });
});

test('globals the widget might have used are taken: difyChatbot, h, preact, marked, signals', async ({ page, openHostPage, mock }) => {
  const errors = await collectPageErrors(page);
  await openHostPage({
    config: config(mock.url),
    head: `<script>
      window.difyChatbot = 'taken';
      window.h = function () { throw new Error('page-own h was called'); };
      window.preact = { render: function () { throw new Error('page-own preact was called'); } };
      window.marked = { parse: function () { throw new Error('page-own marked was called'); } };
      window.preactSignals = 'taken';
      window.__PREACT_DEVTOOLS__ = undefined;
      window.process = { env: { NODE_ENV: 'development' } };
      window.module = { exports: {} };
      window.exports = {};
      window.define = function () { throw new Error('page-own AMD define was called'); };
      window.define.amd = true;
      window.require = function () { throw new Error('page-own require was called'); };
    </script>`,
  });
  await errors.explain(chatWorks(page));
  // The page's values are untouched, and none of its functions was called.
  expect(await page.evaluate(() => (window as unknown as { difyChatbot: unknown }).difyChatbot)).toBe('taken');
  expect(await errors.unexpected(/^$/)).toEqual({ recorded: [], uncaught: [] });
});

test('a page with a <base href> deep in another path: the chat file still loads from where the embed script came from', async ({
  page,
  openHostPage,
  mock,
}) => {
  const errors = await collectPageErrors(page);
  const failed: string[] = [];
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  await openHostPage({ config: config(mock.url), head: '<base href="/shop/catalog/item/">' });
  await errors.explain(chatWorks(page));
  expect(failed).toEqual([]);
  expect(await errors.unexpected(/^$/)).toEqual({ recorded: [], uncaught: [] });
});

for (const mode of ['renders into its own shadow root', 'renders text into itself'] as const) {
  test(`the page already defined the widget's tag names as custom elements (${mode})`, async ({ page, openHostPage, mock }) => {
    const errors = await collectPageErrors(page);
    await openHostPage({
      config: config(mock.url),
      head: `<script>
        ${['dify-chatbot-bubble', 'dify-chatbot-window']
          .map(
            (tag) => `customElements.define('${tag}', class extends HTMLElement {
              constructor() { super(); ${mode === 'renders into its own shadow root' ? "this.attachShadow({ mode: 'closed' }).textContent = 'page-own element';" : ''} }
              connectedCallback() { ${mode === 'renders text into itself' ? "this.textContent = 'page-own element';" : ''} }
            });`,
          )
          .join('\n')}
      </script>`,
    });
    await errors.explain(chatWorks(page));
    // Whatever the page's class put into the element, the visitor sees the widget, not that.
    const renderedPageText = await page.evaluate(() =>
      ['dify-chatbot-bubble-button', 'dify-chatbot-bubble-window'].flatMap((id) =>
        [...(document.getElementById(id)?.childNodes ?? [])]
          .filter((n) => {
            const range = document.createRange();
            range.selectNodeContents(n);
            return range.getClientRects().length > 0;
          })
          .map((n) => n.textContent),
      ),
    );
    expect(renderedPageText).toEqual([]);
    expect(await errors.unexpected(/^$/)).toEqual({ recorded: [], uncaught: [] });
  });
}
