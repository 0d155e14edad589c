import type { Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';
import { maskSecret } from '../../demo/server/mask.ts';

type Open = (options?: { config?: unknown }) => Promise<void>;

/** Opens a host page for `token` as a fresh visitor and opens the chat window. */
async function openChat(page: Page, openHostPage: Open, mockUrl: string, extra: Record<string, unknown> = {}) {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mockUrl, ...extra } });
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
}

async function ask(page: Page, question: string) {
  await widget.composer(page).fill(question);
  await widget.composer(page).press('Enter');
}

const turns = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn');
const lastAnswer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

test.beforeEach(async ({ mock }) => {
  const control = mockControl(mock);
  await control.clearFaults();
  await control.settings({ tokenDelayMs: 4 });
});

test('ask: the answer streams in after a typing indicator, then follow-ups are offered', async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
  await expect(page.getByText('Acme Support (chat)')).toBeVisible();
  await mockControl(mock).fault({ kind: 'latency', ms: 800 });
  await ask(page, 'What are your opening hours?');
  await expect(widget.composer(page)).toHaveValue('');
  await expect(page.getByRole('status', { name: 'Answering…' })).toBeVisible();
  await expect(lastAnswer(page)).toContainText('You asked: “What are your opening hours?”', { timeout: 10_000 });
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  await expect(page.getByRole('list', { name: 'Suggested questions' }).getByRole('button')).toHaveCount(3);
});

test('the welcome shows the opening statement with inputs filled in, and a chip asks its question', async ({
  page,
  openHostPage,
  mock,
}) => {
  await openChat(page, openHostPage, mock.url, { inputs: { name: 'Grace' }, systemVariables: { user_id: uniqueUser() } });
  await expect(page.getByText(/^Hi Grace!/)).toBeVisible();
  const chip = page.getByRole('button', { name: 'Answer with citations' });
  await chip.click();
  await expect(turns(page).first().locator('.question-text')).toHaveText('Answer with citations');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
});

test('inputs reach the request body; user_id reaches the passport call; the passport is sent both ways', async ({
  page,
  openHostPage,
  mock,
}) => {
  const user = uniqueUser();
  await openChat(page, openHostPage, mock.url, { inputs: { name: 'Ada' }, systemVariables: { user_id: user } });
  await ask(page, 'hello');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  const requests = await mockControl(mock).requests('/api/');
  const passport = requests.find((r) => r.path === '/api/passport' && r.query.user_id === user);
  expect(passport).toBeTruthy();
  const chat = requests.filter((r) => r.path === '/api/chat-messages' && (r.body as { query?: string })?.query === 'hello');
  expect(chat).toHaveLength(1);
  expect(chat[0]!.body).toMatchObject({
    response_mode: 'streaming',
    conversation_id: '',
    inputs: { name: 'Ada' },
    files: [],
    parent_message_id: null,
  });
  // The request log masks credentials (demo/server/mask.ts): `de…at`, `eyJhbG…x9Q4`.
  expect(chat[0]!.headers['x-app-code']).toBe(maskSecret('demo-chat'));
  expect(chat[0]!.headers['x-app-passport']).toMatch(/^eyJhbG…[\w-]{4}$/);
  expect(chat[0]!.headers.authorization).toBe(`Bearer ${chat[0]!.headers['x-app-passport']}`);
});

test('stop: the partial answer stays, marked stopped, and the server is told', async ({ page, openHostPage, mock }) => {
  await mockControl(mock).settings({ tokenDelayMs: 120 });
  await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
  await ask(page, 'Tell me something long please');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  await expect(lastAnswer(page).locator('.dcb-md')).toContainText(/\w{3}/);
  await page.getByRole('button', { name: 'Stop answering' }).click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
  await expect(lastAnswer(page)).toContainText('Stopped');
  const partial = await lastAnswer(page).locator('.dcb-md').innerText();
  expect(partial.length).toBeGreaterThan(0);
  await expect.poll(async () => (await mockControl(mock).requests('/api/chat-messages/')).some((r) => /\/stop$/.test(r.path))).toBe(true);
  await expect(page.getByRole('button', { name: 'Send message' })).toBeVisible();
});

test('a reload continues the conversation with its history, with the same visitor', async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url);
  await ask(page, 'first question');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  await ask(page, 'second question');
  await expect(turns(page)).toHaveCount(2);
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  const second = (await mockControl(mock).requests('/api/chat-messages')).filter(
    (r) => (r.body as { query?: string })?.query === 'second question',
  );
  expect((second[0]!.body as { conversation_id: string }).conversation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect((second[0]!.body as { parent_message_id: string | null }).parent_message_id).toMatch(/^[0-9a-f-]{36}$/);

  await page.reload();
  await widget.bubble(page).click();
  await expect(turns(page)).toHaveCount(2);
  await expect(turns(page).first().locator('.question-text')).toHaveText('first question');
  await expect(turns(page).last()).toContainText('You asked: “second question”');
});

test('new conversation: back to the welcome, and the next question starts a new conversation', async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
  await ask(page, 'one');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  await page.getByRole('button', { name: 'New conversation' }).click();
  await expect(turns(page)).toHaveCount(0);
  await expect(page.getByText(/^Hi /)).toBeVisible();
  await expect(widget.composer(page)).toBeFocused();
  await ask(page, 'two');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  const two = (await mockControl(mock).requests('/api/chat-messages')).find((r) => (r.body as { query?: string })?.query === 'two');
  expect((two!.body as { conversation_id: string }).conversation_id).toBe('');
  // Dify's page names a new conversation after its first answer.
  await expect
    .poll(async () => (await mockControl(mock).requests('/api/conversations/')).filter((r) => r.path.endsWith('/name')).length)
    .toBeGreaterThanOrEqual(2);
});

test('systemVariables.conversation_id opens that conversation and hides "new conversation"', async ({ page, openHostPage, mock }) => {
  const user = uniqueUser();
  // Make a conversation as this user through the API, then pin it from the config.
  const passport = (await (await fetch(`${mock.url}/api/passport?user_id=${user}`, { headers: { 'X-App-Code': 'demo-chat' } })).json()) as {
    access_token: string;
  };
  const headers = { 'X-App-Code': 'demo-chat', 'X-App-Passport': passport.access_token, 'content-type': 'application/json' };
  const made = (await (
    await fetch(`${mock.url}/api/chat-messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ inputs: {}, query: 'pinned question', response_mode: 'blocking', conversation_id: '' }),
    })
  ).json()) as { conversation_id: string };

  await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: user, conversation_id: made.conversation_id } });
  await expect(turns(page).first().locator('.question-text')).toHaveText('pinned question');
  await ask(page, 'follow up');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
  await expect(page.getByRole('button', { name: 'New conversation' })).toHaveCount(0);
});

test('older messages load when the visitor scrolls up (first_id paging)', async ({ page, openHostPage, mock }) => {
  const user = uniqueUser();
  const passport = (await (await fetch(`${mock.url}/api/passport?user_id=${user}`, { headers: { 'X-App-Code': 'demo-chat' } })).json()) as {
    access_token: string;
  };
  const headers = { 'X-App-Code': 'demo-chat', 'X-App-Passport': passport.access_token, 'content-type': 'application/json' };
  let conversation = '';
  for (let i = 1; i <= 25; i++) {
    const r = (await (
      await fetch(`${mock.url}/api/chat-messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ inputs: {}, query: `question ${i}`, response_mode: 'blocking', conversation_id: conversation }),
      })
    ).json()) as { conversation_id: string };
    conversation = r.conversation_id;
  }
  await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: user, conversation_id: conversation } });
  await expect(turns(page)).toHaveCount(20);
  await expect(turns(page).last().locator('.question-text')).toHaveText('question 25');
  await page.locator('#dify-chatbot-bubble-window .conversation').evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(turns(page)).toHaveCount(25);
  await expect(turns(page).first().locator('.question-text')).toHaveText('question 1');
  // The older page went in above what the visitor was reading: the view did not jump to the top.
  const list = page.locator('#dify-chatbot-bubble-window .conversation');
  await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(200);
  await expect(turns(page).nth(5)).toBeInViewport();
  const paging = (await mockControl(mock).requests('/api/messages')).filter(
    (r) => r.query.conversation_id === conversation && r.query.first_id,
  );
  expect(paging.length).toBeGreaterThanOrEqual(1);
});

test('the draft survives a reload', async ({ page, openHostPage, mock }) => {
  await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
  await widget.composer(page).fill('half-written thought');
  await page.reload();
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toHaveValue('half-written thought');
});

test.describe('faults: a clear message, and Retry succeeds', () => {
  const cases: Array<{ name: string; fault: Record<string, unknown>; message: RegExp }> = [
    {
      name: '400 invalid_param',
      fault: { kind: 'invalid-param', message: 'topic is required in input form' },
      message: /could not be sent: topic is required in input form/,
    },
    {
      name: '429 too_many_requests beyond the automatic retries',
      fault: { kind: 'too-many-requests', times: 4 },
      message: /busy right now/,
    },
    {
      name: '500 beyond the automatic retries',
      fault: { kind: 'server-error', status: 500, times: 4 },
      message: /went wrong on the server/,
    },
    { name: "a proxy's HTML 502 page", fault: { kind: 'html-error', status: 502, times: 4 }, message: /unexpected response/ },
    {
      name: 'error event mid-stream',
      fault: { kind: 'error-event', afterEvents: 2 },
      message: /model could not answer: \[openai\] Rate Limit Error/,
    },
    { name: 'stream cut mid-answer', fault: { kind: 'cut', afterEvents: 3 }, message: /cut off/ },
  ];
  for (const { name, fault, message } of cases) {
    test(name, async ({ page, openHostPage, mock }) => {
      await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
      await mockControl(mock).fault(fault);
      await ask(page, 'Please answer this');
      const turn = turns(page).last();
      await expect(turn.locator('.error-note')).toContainText(message, { timeout: 15_000 });
      await expect(turn.locator('.question-text')).toHaveText('Please answer this');
      await turn.getByRole('button', { name: 'Retry' }).click();
      await expect(turns(page)).toHaveCount(1);
      await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
      await expect(lastAnswer(page)).toContainText('You asked: “Please answer this”');
    });
  }

  test('401 passport no longer valid: re-minted and retried, the visitor notices nothing', async ({ page, openHostPage, mock }) => {
    await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
    await mockControl(mock).fault({ kind: 'passport-invalid' });
    await ask(page, 'still there?');
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
    await expect(page.locator('#dify-chatbot-bubble-window .error-note')).toHaveCount(0);
  });

  test('conversation gone: the question is answered in a fresh conversation', async ({ page, openHostPage, mock }) => {
    await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
    await ask(page, 'first');
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
    await mockControl(mock).fault({ kind: 'conversation-gone' });
    await ask(page, 'are you there');
    await expect(lastAnswer(page)).toContainText('You asked: “are you there”');
    await expect(turns(page)).toHaveCount(1);
  });

  test('site disabled: "unavailable", no Retry loop', async ({ page, openHostPage, mock }) => {
    await openHostPage({ config: { token: 'demo-agent', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await mockControl(mock).app('demo-agent', { enable_site: false });
    try {
      await widget.bubble(page).click();
      await expect(page.locator('#dify-chatbot-bubble-window .error-note')).toContainText('unavailable');
      await expect(page.locator('#dify-chatbot-bubble-window').getByRole('button', { name: 'Retry' })).toHaveCount(0);
    } finally {
      await mockControl(mock).app('demo-agent', { enable_site: true });
    }
  });
});

test.describe('theme from the site (docs/PROTOCOL.md §5.8)', () => {
  test('chat_color_theme colours the header and the send button', async ({ page, openHostPage, mock }) => {
    await mockControl(mock).app('demo-chat', { site: { chat_color_theme: '#E11D48', chat_color_theme_inverted: false } });
    try {
      await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
      const header = page.locator('#dify-chatbot-bubble-window .header');
      await expect(header).toHaveCSS('background-color', 'rgb(225, 29, 72)');
      await expect(header).toHaveCSS('color', 'rgb(255, 255, 255)');
      await widget.composer(page).fill('x');
      await expect(page.getByRole('button', { name: 'Send message' })).toHaveCSS('background-color', 'rgb(225, 29, 72)');
    } finally {
      await mockControl(mock).reset();
    }
  });

  test('inverted: a white header with the theme colour as text and a grey rule', async ({ page, openHostPage, mock }) => {
    await mockControl(mock).app('demo-chat', { site: { chat_color_theme: '#E11D48', chat_color_theme_inverted: true } });
    try {
      await openChat(page, openHostPage, mock.url, { systemVariables: { user_id: uniqueUser() } });
      const header = page.locator('#dify-chatbot-bubble-window .header');
      await expect(header).toHaveCSS('background-color', 'rgb(255, 255, 255)');
      await expect(header).toHaveCSS('color', 'rgb(225, 29, 72)');
      await expect(header).toHaveCSS('border-bottom-color', 'rgb(204, 204, 204)');
    } finally {
      await mockControl(mock).reset();
    }
  });

  test("the page's CSS wins over the site's theme", async ({ page, openHostPage, mock }) => {
    await openHostPage({
      config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } },
      head: '<style>#dify-chatbot-bubble-window { --dify-chatbot-primary-color: rgb(1, 120, 60); }</style>',
    });
    await widget.bubble(page).click();
    await widget.composer(page).fill('x');
    await expect(page.getByRole('button', { name: 'Send message' })).toHaveCSS('background-color', 'rgb(1, 120, 60)');
  });
});

test('the embed defines no globals besides window.difyChatbot', async ({ page, openHostPage, mock }) => {
  await page.addInitScript(() => {
    (window as unknown as { before: string[] }).before = Object.getOwnPropertyNames(window);
  });
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
  const added = await page.evaluate(() => {
    const before = new Set((window as unknown as { before: string[] }).before);
    return Object.getOwnPropertyNames(window).filter((name) => !before.has(name) && name !== 'before' && name !== 'difyChatbotConfig');
  });
  expect(added).toEqual(['difyChatbot']);
});

test("the site's default language sets the chat's language when the config names none", async ({ page, openHostPage, mock }) => {
  await mockControl(mock).app('demo-chat', { site: { default_language: 'zh-Hans' } });
  try {
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await widget.bubble(page).click();
    await expect(page.getByRole('textbox', { name: '消息' })).toBeVisible();
    await expect(page.getByRole('button', { name: '关闭聊天' }).last()).toBeVisible();
  } finally {
    await mockControl(mock).reset();
  }
});

test('systemVariables.locale wins over the site and the browser', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser(), locale: 'zh-Hans' } } });
  await expect(page.getByRole('button', { name: '打开聊天' })).toBeVisible();
  await page.getByRole('button', { name: '打开聊天' }).click();
  await expect(page.getByRole('textbox', { name: '消息' })).toBeFocused();
});
