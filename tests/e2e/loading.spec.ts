import { expect, test, widget } from './support/host-page.ts';
import { uniqueUser } from './support/mock-control.ts';

/** Records every request the page makes, as paths relative to their origin. */
function recordRequests(page: import('@playwright/test').Page) {
  const seen: string[] = [];
  page.on('request', (r) => seen.push(new URL(r.url()).pathname));
  return seen;
}

test('the host page pays for the bubble only: no chat file, no Dify request, no layout shift before intent', async ({
  page,
  openHostPage,
  mock,
}) => {
  const seen = recordRequests(page);
  await page.addInitScript(() => {
    (window as unknown as { shifts: number }).shifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        (window as unknown as { shifts: number }).shifts += (entry as unknown as { value: number }).value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, prefetch: false, systemVariables: { user_id: uniqueUser() } } });
  await expect(widget.bubble(page)).toBeVisible();
  await page.waitForTimeout(2500);
  expect(seen.filter((p) => p.startsWith('/api/'))).toEqual([]);
  expect(seen.filter((p) => /\/chat-.*\.js$/.test(p))).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBe(0);

  // Intent: the chat file arrives, and the chat boots site, parameters and meta in parallel.
  await widget.bubble(page).hover();
  await expect.poll(() => seen.filter((p) => /\/chat-[\w-]+\.min\.js$/.test(p)).length).toBe(1);
  await expect.poll(() => ['/api/site', '/api/parameters', '/api/meta'].every((p) => seen.includes(p))).toBe(true);
});

test('when the page is idle the chat file is fetched, still without talking to Dify', async ({ page, openHostPage, mock }) => {
  const seen = recordRequests(page);
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
  await expect.poll(() => seen.filter((p) => /\/chat-[\w-]+\.min\.js$/.test(p)).length, { timeout: 10_000 }).toBe(1);
  await page.waitForTimeout(500);
  expect(seen.filter((p) => p.startsWith('/api/'))).toEqual([]);
  // Prefetched: opening is immediate.
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
});

test('a chat file that cannot load: the bubble says so, and the next click tries again', async ({ page, openHostPage, mock }) => {
  let failing = true;
  await page.route(/\/chat-[\w-]+\.min\.js$/, (route) => (failing ? route.abort('connectionrefused') : route.continue()));
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, prefetch: false, systemVariables: { user_id: uniqueUser() } } });
  await widget.bubble(page).click();
  await expect(widget.bubble(page)).toHaveAccessibleName(/could not be loaded/);
  await expect(widget.bubble(page)).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#dify-chatbot-bubble-button .status')).toBeVisible();
  failing = false;
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
  await expect(widget.bubble(page)).toHaveAccessibleName('Close chat');
});

test('the chat file is loaded from next to embed.min.js, not from the page', async ({ page, openHostPage, mock }) => {
  const seen: string[] = [];
  page.on('request', (r) => seen.push(r.url()));
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, prefetch: false }, scriptFromMock: true });
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
  expect(seen.some((u) => u.startsWith(`${mock.url}/chat-`) && u.endsWith('.min.js'))).toBe(true);
  // And it is not left in the page's <head> or body.
  expect(await page.locator('head script[src*="chat-"], body > script[src*="chat-"]').count()).toBe(0);
});

/** Asks `question` in the open chat and waits until its answer has ended. */
async function askAndWait(page: import('@playwright/test').Page, question: string) {
  await widget.composer(page).fill(question);
  await widget.composer(page).press('Enter');
  const answer = widget.window(page).locator('.turn .answer').last();
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  return answer;
}

const EXTRAS_FILE = /\/answer-extras-[\w-]+\.min\.js$/;

test('answer extras (steps, files, sources, badges) are fetched only when an answer carries them, once', async ({
  page,
  openHostPage,
  mock,
}) => {
  const seen = recordRequests(page);
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
  await widget.bubble(page).click();
  const plain = await askAndWait(page, 'Hello there');
  await expect(plain.locator('.dcb-md')).toContainText('Hello there');
  await page.waitForTimeout(300);
  expect(
    seen.filter((p) => EXTRAS_FILE.test(p)),
    'a plain answer needs no extras',
  ).toEqual([]);

  const sourced = await askAndWait(page, 'Answer with citations');
  const sources = sourced.getByRole('region', { name: 'Sources' });
  await expect(sources).toBeVisible();
  // Styled by the part's own sheet, adopted into the window's shadow root with it.
  await expect(sources).toHaveCSS('border-top-style', 'solid');
  await askAndWait(page, 'Answer with citations again');
  await expect(widget.window(page).getByRole('region', { name: 'Sources' })).toHaveCount(2);
  expect(seen.filter((p) => EXTRAS_FILE.test(p))).toHaveLength(1);
});

test('answer extras that cannot load: the text still shows, a note says what is missing, and Retry brings it', async ({
  page,
  openHostPage,
  mock,
}) => {
  let failing = true;
  await page.route(EXTRAS_FILE, (route) => (failing ? route.abort('connectionrefused') : route.continue()));
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
  await widget.bubble(page).click();
  const answer = await askAndWait(page, 'Answer with citations');
  await expect(answer.locator('.dcb-md')).not.toBeEmpty();
  const note = answer.locator('.error-note').filter({ hasText: 'Parts of this answer (steps, files or sources) could not be loaded.' });
  await expect(note).toBeVisible();
  await expect(answer.getByRole('region', { name: 'Sources' })).toHaveCount(0);

  failing = false;
  await note.getByRole('button', { name: 'Retry' }).click();
  await expect(answer.getByRole('region', { name: 'Sources' })).toBeVisible();
  await expect(note).toHaveCount(0);
  // The question was not asked again: Retry here is about the answer's parts, not the answer.
  await expect(widget.window(page).locator('.turn')).toHaveCount(1);
});

const CHINESE_FILE = /\/strings-zh-hans-[\w-]+\.min\.js$/;

test('another language is a file of its own: English visitors never fetch the Chinese strings', async ({ page, openHostPage, mock }) => {
  const seen = recordRequests(page);
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
  await askAndWait(page, 'Hello there');
  expect(seen.filter((p) => CHINESE_FILE.test(p))).toEqual([]);
});

test('a Chinese visitor: the window opens in Chinese at once, even when the strings arrive late', async ({ page, openHostPage, mock }) => {
  const seen = recordRequests(page);
  await page.route(CHINESE_FILE, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });
  await openHostPage({
    config: { token: 'demo-chat', baseUrl: mock.url, prefetch: false, systemVariables: { user_id: uniqueUser(), locale: 'zh-Hans' } },
  });
  await page.getByRole('button', { name: '打开聊天' }).click();
  const box = widget.window(page).locator('textarea');
  await box.waitFor({ state: 'visible' });
  // Read once, the moment the window is visible: no English first, then Chinese.
  expect(await widget.window(page).locator('label[for="dcb-composer"]').textContent()).toBe('消息');
  expect(await widget.window(page).locator('.header button').last().getAttribute('aria-label')).toBe('关闭聊天');
  await expect(page.getByRole('textbox', { name: '消息' })).toBeFocused();
  expect(seen.filter((p) => CHINESE_FILE.test(p))).toHaveLength(1);
});

test('Chinese strings that cannot load: the chat works in English', async ({ page, openHostPage, mock }) => {
  await page.route(CHINESE_FILE, (route) => route.abort('connectionrefused'));
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser(), locale: 'zh-Hans' } } });
  await page.getByRole('button', { name: '打开聊天' }).click();
  await expect(widget.composer(page)).toBeFocused();
  await askAndWait(page, 'Hello there');
});
