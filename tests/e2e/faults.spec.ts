import type { Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

const turns = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn');
const lastAnswer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

async function ask(page: Page, question: string) {
  await widget.composer(page).fill(question);
  await widget.composer(page).press('Enter');
}

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  await mockControl(mock).settings({ tokenDelayMs: 4 });
});

test.describe('what the visitor sees when things go wrong', () => {
  test('busy (429 with Retry-After): a countdown, then the answer, without clicking anything', async ({ page, openHostPage, mock }) => {
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await widget.bubble(page).click();
    await mockControl(mock).fault({ kind: 'too-many-requests', times: 2, retryAfter: 2 });
    await ask(page, 'are you busy');
    await expect(page.getByRole('status').filter({ hasText: /busy\. Trying again in [12] s/ })).toBeVisible();
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
    await expect(page.getByText(/Trying again in/)).toHaveCount(0);
    const sent = (await mockControl(mock).requests('/api/chat-messages')).filter(
      (r) => (r.body as { query?: string })?.query === 'are you busy',
    );
    expect(sent).toHaveLength(3);
  });

  test('400 invalid_param "Too many requests…" (Dify 1.12.1) is treated as busy too', async ({ page, openHostPage, mock }) => {
    await mockControl(mock).settings({ concurrencyErrorStyle: '400' });
    try {
      await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
      await widget.bubble(page).click();
      await mockControl(mock).fault({ kind: 'too-many-requests', times: 1 });
      await ask(page, 'hello there');
      await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
    } finally {
      await mockControl(mock).settings({ concurrencyErrorStyle: '429' });
    }
  });

  test('a cut stream is never re-sent by itself: one request, the partial answer, Retry', async ({ page, openHostPage, mock }) => {
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await widget.bubble(page).click();
    await mockControl(mock).fault({ kind: 'cut', afterEvents: 3 });
    await ask(page, 'Tell me something long');
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'interrupted');
    expect((await lastAnswer(page).locator('.dcb-md').innerText()).length).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    const sent = (await mockControl(mock).requests('/api/chat-messages')).filter(
      (r) => (r.body as { query?: string })?.query === 'Tell me something long',
    );
    expect(sent).toHaveLength(1);
  });

  test('a stream cut after its headers (QA panel "Cut stream"): the answer says "cut off", with Retry, not "offline"', async ({
    page,
    openHostPage,
    mock,
  }) => {
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await widget.bubble(page).click();
    await mockControl(mock).fault({ kind: 'cut', afterEvents: 3 });
    await ask(page, 'tell me something long');
    const cut = turns(page).last();
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'interrupted');
    await expect(cut.locator('.error-note')).toHaveText(/^The answer was cut off\.\s*Retry$/);
    await expect(cut.locator('.error-note')).not.toContainText('offline');
    await cut.getByRole('button', { name: 'Retry' }).click();
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
    await expect(turns(page)).toHaveCount(1);
  });

  test('one malformed event is skipped with a console warning; the rest of the answer arrives', async ({ page, openHostPage, mock }) => {
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await widget.bubble(page).click();
    await mockControl(mock).fault({ kind: 'malformed-event', afterEvents: 2 });
    await ask(page, 'still fine?');
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done');
    await expect(lastAnswer(page)).toContainText('You asked: “still fine?”');
    expect(warnings.some((w) => w.startsWith('[dify-chatbot]'))).toBe(true);
  });

  test('offline: the state is shown, the question is kept, Retry works when back', async ({ page, openHostPage, mock, context }) => {
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await widget.bubble(page).click();
    await expect(page.getByText(/^Hi /)).toBeVisible();
    await context.setOffline(true);
    await expect(page.getByText(/You are offline/)).toBeVisible();
    await ask(page, 'hello while offline');
    const failed = turns(page).last();
    await expect(failed.getByRole('button', { name: 'Retry' })).toBeVisible();
    // Said once, by the offline note; the failed question does not say it again.
    const sayings = widget.window(page).locator('p:not(.sr-only)', { hasText: /You are offline|You seem to be offline/ });
    await expect(sayings).toHaveCount(1);
    await expect(sayings).toHaveClass('offline-note');
    await context.setOffline(false);
    await expect(page.getByText(/You are offline/)).toHaveCount(0);
    await turns(page).last().getByRole('button', { name: 'Retry' }).click();
    await expect(lastAnswer(page)).toContainText('You asked: “hello while offline”');
  });

  test('a question that failed survives a reload, with its Retry', async ({ page, openHostPage, mock }) => {
    const user = uniqueUser();
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: user } } });
    await widget.bubble(page).click();
    await mockControl(mock).fault({ kind: 'server-error', status: 500, times: 3 });
    await ask(page, 'please keep this question');
    await expect(turns(page).last().locator('.error-note')).toBeVisible({ timeout: 15_000 });
    await page.reload();
    await widget.bubble(page).click();
    await expect(turns(page).last().locator('.question-text')).toHaveText('please keep this question');
    await turns(page).last().getByRole('button', { name: 'Retry' }).click();
    await expect(lastAnswer(page)).toContainText('You asked: “please keep this question”');
    await page.reload();
    await widget.bubble(page).click();
    await expect(turns(page)).toHaveCount(1);
    await expect(page.locator('#dify-chatbot-bubble-window .error-note')).toHaveCount(0);
  });

  test('site token regenerated: "unavailable", and no retry loop', async ({ page, openHostPage, mock }) => {
    await mockControl(mock).clearRequests();
    await openHostPage({ config: { token: 'demo-agent', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
    await widget.bubble(page).hover(); // boots with the current code, minting a passport
    // The whole boot, not just /site: a parameters request still in flight would meet the new code.
    for (const path of ['/api/site', '/api/parameters']) {
      await expect.poll(async () => (await mockControl(mock).requests(path)).filter((r) => r.status === 200).length).toBeGreaterThan(0);
    }
    await mockControl(mock).app('demo-agent', { regenerate_code: true });
    try {
      await mockControl(mock).clearRequests();
      await widget.bubble(page).click();
      await ask(page, 'hello?');
      await expect(turns(page).last().locator('.error-note')).toContainText('unavailable');
      await expect(turns(page).last().getByRole('button', { name: 'Retry' })).toHaveCount(0);
      await page.waitForTimeout(1000);
      expect((await mockControl(mock).requests('/api/chat-messages')).length).toBeLessThanOrEqual(1);
    } finally {
      await mockControl(mock).reset();
    }
  });
});

test('nothing for 60 s (not even a ping): the stalled request is aborted, a timeout message, Retry', async ({
  page,
  openHostPage,
  mock,
}) => {
  await page.clock.install();
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, prefetch: false, systemVariables: { user_id: uniqueUser() } } });
  await page.clock.resume();
  await widget.bubble(page).click();
  await expect(page.getByText(/^Hi /)).toBeVisible();
  await mockControl(mock).fault({ kind: 'stall', ms: 120_000 });
  await page.clock.pauseAt(Date.now() + 1000);
  await mockControl(mock).clearRequests();
  await ask(page, 'are you stuck');
  // The stall is consumed only when the question reaches the mock. Time jumps only after that:
  // a jump before it would abort a request the mock never saw, leaving the stall for the Retry.
  await expect.poll(async () => (await mockControl(mock).requests('/api/chat-messages')).length).toBe(1);
  await page.clock.runFor(61_000);
  await page.clock.resume();
  await expect(turns(page).last().locator('.error-note')).toContainText(/taking too long/, { timeout: 10_000 });
  await turns(page).last().getByRole('button', { name: 'Retry' }).click();
  await expect(lastAnswer(page)).toContainText('You asked: “are you stuck”');
});

test('destroy() removes everything; a second mount works and can be destroyed too', async ({ page, openHostPage, mock }) => {
  await mockControl(mock).settings({ tokenDelayMs: 100 });
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
  await widget.bubble(page).click();
  await ask(page, 'Tell me something long');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.evaluate(() => (window as unknown as { difyChatbot: { destroy(): void } }).difyChatbot.destroy());
  await expect(page.locator('#dify-chatbot-bubble-button, #dify-chatbot-bubble-window')).toHaveCount(0);
  // The stream was stopped: the mock sees no running task for long.
  await expect
    .poll(async () => ((await (await fetch(`${mock.url}/__mock/state`)).json()) as { runningTasks: string[] }).runningTasks.length, {
      timeout: 10_000,
    })
    .toBe(0);
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 900, height: 700 });

  await page.evaluate(() => (window as unknown as { difyChatbot: { mount(): void } }).difyChatbot.mount());
  await expect(widget.bubble(page)).toBeVisible();
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
  await page.evaluate(() => (window as unknown as { difyChatbot: { destroy(): void } }).difyChatbot.destroy());
  await expect(page.locator('#dify-chatbot-bubble-button, #dify-chatbot-bubble-window')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the JavaScript API opens, closes and toggles the chat', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser() } } });
  await expect(widget.bubble(page)).toBeVisible();
  await page.evaluate(() => (window as unknown as { difyChatbot: { open(): void } }).difyChatbot.open());
  await expect(widget.window(page)).toBeVisible();
  await page.evaluate(() => (window as unknown as { difyChatbot: { close(): void } }).difyChatbot.close());
  await expect(widget.window(page)).toBeHidden();
  await page.evaluate(() => (window as unknown as { difyChatbot: { toggle(): void } }).difyChatbot.toggle());
  await expect(widget.window(page)).toBeVisible();
});
