import type { Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

/*
 * Wrong config gets one clear `[dify-chatbot]` console message and a safe outcome, never a
 * strange state (README "Configuration", docs/SECURITY.md): a URL the widget must not talk to
 * refuses to start; anything else is ignored or replaced and the chat still answers.
 */

/** Every console message of the widget, with its level. */
function widgetMessages(page: Page): Array<{ type: string; text: string }> {
  const messages: Array<{ type: string; text: string }> = [];
  page.on('console', (m) => m.text().startsWith('[dify-chatbot]') && messages.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => messages.push({ type: 'pageerror', text: e.message }));
  return messages;
}

/**
 * Puts `config` on the page as a script that builds it (JSON.parse keeps a `__proto__` key as
 * an own key, as config from a server would have it; `extra` is JavaScript added to it).
 */
function configScript(config: Record<string, unknown>, extra = ''): string {
  const json = JSON.stringify(JSON.stringify(config)).replace(/</g, '\\u003c');
  return `<script>window.difyChatbotConfig = JSON.parse(${json});${extra}</script>`;
}

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  await mockControl(mock).settings({ tokenDelayMs: 4 });
});

for (const [name, bad] of [
  ['a user name and password', (url: string) => ({ baseUrl: url.replace('http://', 'http://admin:hunter2@') })],
  ['a query', (url: string) => ({ baseUrl: `${url}/?tenant=1` })],
  ['a fragment', (url: string) => ({ baseUrl: `${url}#dify` })],
  ['another scheme', (url: string) => ({ baseUrl: url.replace('http://', 'ftp://') })],
  ['an apiBaseUrl with a password', (url: string) => ({ baseUrl: url, apiBaseUrl: `${url.replace('http://', 'http://:pw@')}/api` })],
] as const) {
  test(`a base URL with ${name} is refused: one error naming the option, no bubble, no request`, async ({ page, openHostPage, mock }) => {
    const messages = widgetMessages(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const config = { token: 'demo-chat', ...bad(mock.url) };
    await openHostPage({ config });
    await page.waitForLoadState('load');
    await expect.poll(() => messages.length).toBe(1);
    const option = 'apiBaseUrl' in config ? 'apiBaseUrl' : 'baseUrl';
    expect(messages[0]!.type).toBe('error');
    expect(messages[0]!.text).toMatch(
      new RegExp(`^\\[dify-chatbot\\] "${option}" must be an http\\(s\\) URL with no user name, password, query or fragment`),
    );
    await expect(widget.bubbleHost(page)).toHaveCount(0);
    expect(requests.filter((u) => new URL(u).port === new URL(mock.url).port)).toEqual([]);
  });
}

/** Opens the chat, asks, and waits for the answer: the widget works. */
async function chatWorks(page: Page, question = 'hello there') {
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
  await widget.composer(page).fill(question);
  await widget.composer(page).press('Enter');
  const answer = page.locator('#dify-chatbot-bubble-window .turn .answer').last();
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  await expect(answer).toContainText(`You asked: “${question}”`);
}

test('a misspelt option: one warning that names the option meant, and the chat works', async ({ page, openHostPage, mock }) => {
  const messages = widgetMessages(page);
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, dragable: true, systemVariables: { user_id: uniqueUser() } } });
  await chatWorks(page);
  expect(messages).toEqual([{ type: 'warning', text: '[dify-chatbot] Unknown option "dragable" is ignored; did you mean "draggable"?' }]);
});

for (const locale of ['constructor', '__proto__', 'toString', 'fr-FR']) {
  test(`locale ${locale}: one warning, English, and no part file is fetched for it`, async ({ page, openHostPage, mock }) => {
    const messages = widgetMessages(page);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await openHostPage({
      head: configScript({ token: 'demo-chat', baseUrl: mock.url, systemVariables: { locale, user_id: uniqueUser() } }),
    });
    await chatWorks(page);
    await expect(widget.bubble(page)).toHaveAccessibleName('Close chat');
    expect(messages).toEqual([
      {
        type: 'warning',
        text: `[dify-chatbot] systemVariables.locale must be a language the widget speaks, not "${locale}"; using English.`,
      },
    ]);
    // The embed and the chat file; before, `constructor` fetched a part file called "undefined".
    expect(scripts.filter((s) => !/^\/(embed|chat-[\w-]+)\.min\.js$/.test(s))).toEqual([]);
  });
}

test('inputs named __proto__, constructor, prototype and a function value: one warning each, the rest are sent', async ({
  page,
  openHostPage,
  mock,
}) => {
  const messages = widgetMessages(page);
  const user = uniqueUser();
  await openHostPage({
    head: configScript(
      {
        token: 'demo-chat',
        baseUrl: mock.url,
        systemVariables: { user_id: user },
        // JSON.parse: a `__proto__` key of an object literal would set its prototype instead.
        inputs: JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "x", "prototype": "y", "name": "Ada"}'),
      },
      'window.difyChatbotConfig.inputs.greet = function () {};',
    ),
  });
  await chatWorks(page, 'inputs check');
  expect(messages.map((m) => `${m.type} ${m.text}`)).toEqual([
    'warning [dify-chatbot] inputs.__proto__ is not a variable name; it is ignored.',
    'warning [dify-chatbot] inputs.constructor is not a variable name; it is ignored.',
    'warning [dify-chatbot] inputs.prototype is not a variable name; it is ignored.',
    'warning [dify-chatbot] inputs.greet must be JSON, not a function; it is ignored.',
  ]);
  expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
  const sent = (await mockControl(mock).requests('/api/chat-messages')).find(
    (r) => (r.body as { query?: string })?.query === 'inputs check',
  );
  expect((sent!.body as { inputs: unknown }).inputs).toEqual({ name: 'Ada' });
});

test('a BigInt input and a cyclic one: one warning each, and the chat still answers', async ({ page, openHostPage, mock }) => {
  const messages = widgetMessages(page);
  await openHostPage({
    head: configScript(
      { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() }, inputs: { name: 'Ada' } },
      'const c = {}; c.self = c; window.difyChatbotConfig.inputs.loop = c; window.difyChatbotConfig.inputs.big = 10n;',
    ),
  });
  await chatWorks(page);
  expect(messages.map((m) => m.text)).toEqual([
    '[dify-chatbot] inputs.loop must be JSON, not an object; it is ignored.',
    '[dify-chatbot] inputs.big must be JSON, not a bigint; it is ignored.',
  ]);
});

test('a site whose default language is "constructor": English, and no part file is fetched for it', async ({
  page,
  openHostPage,
  mock,
}) => {
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  const control = mockControl(mock);
  await control.app('demo-chat', { site: { default_language: 'constructor' } });
  try {
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await chatWorks(page);
    await expect(page.getByRole('button', { name: 'Close chat' }).last()).toBeVisible();
    expect(scripts.filter((s) => !/^\/(embed|chat-[\w-]+)\.min\.js$/.test(s))).toEqual([]);
  } finally {
    await control.app('demo-chat', { site: { default_language: 'en-US' } });
  }
});
