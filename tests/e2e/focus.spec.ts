import type { Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

/*
 * A keyboard visitor's focus never falls out of the window to the page's <body> when the control
 * they used goes away (Stop turning back into a disabled Send, Retry, Regenerate, a chip): it goes
 * to the message box, where the next question is typed.
 */

const lastAnswer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

/** What has the focus: the window's element inside its shadow root, or the page's element. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    const inner = active?.shadowRoot?.activeElement;
    return inner ? `${active!.id} ${inner.localName}${inner.id ? `#${inner.id}` : ''}` : (active?.localName ?? 'nothing');
  });

/** Opens the chat from the keyboard, as the visitor would, and asks `question` with Enter. */
async function openAndAsk(page: Page, openHostPage: (o: { config: unknown }) => Promise<void>, mockUrl: string, question: string) {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mockUrl, systemVariables: { user_id: uniqueUser('focus') } } });
  await widget.bubble(page).focus();
  await page.keyboard.press('Enter');
  await expect(widget.composer(page)).toBeFocused();
  await page.keyboard.type(question);
  await page.keyboard.press('Enter');
}

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  await mockControl(mock).settings({ tokenDelayMs: 4 });
});

test('Tab to Stop, Enter: the answer stops and the focus goes back to the message box, not to <body>', async ({
  page,
  openHostPage,
  mock,
}) => {
  await mockControl(mock).settings({ tokenDelayMs: 120 });
  await openAndAsk(page, openHostPage, mock.url, 'Tell me something long please');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Stop answering' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'stopped');
  await expect(widget.composer(page)).toBeFocused();
  expect(await focused(page)).toBe('dify-chatbot-bubble-window textarea#dcb-composer');
  // And the visitor can type the next question right away.
  await page.keyboard.type('Thanks');
  await expect(widget.composer(page)).toHaveValue('Thanks');
});

test('an answer that ends while the visitor is on Stop leaves the focus in the message box', async ({ page, openHostPage, mock }) => {
  // About five seconds of answer: time to Tab to Stop, then wait on it for the end.
  await mockControl(mock).settings({ tokenDelayMs: 15 });
  await openAndAsk(page, openHostPage, mock.url, 'Tell me something long please');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Stop answering' })).toBeFocused();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Send message' })).toBeDisabled();
  await expect(widget.composer(page)).toBeFocused();
});

test('Regenerate from the keyboard: the button goes while the new answer comes, the focus stays in the window', async ({
  page,
  openHostPage,
  mock,
}) => {
  await openAndAsk(page, openHostPage, mock.url, 'What is your refund policy?');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  await lastAnswer(page).getByRole('button', { name: 'Regenerate answer' }).focus();
  await page.keyboard.press('Enter');
  // The button is gone until the new answer is in (and then it is a new button, not focused).
  await expect(widget.composer(page)).toBeFocused();
  await expect(lastAnswer(page).getByRole('group', { name: 'Answer 2 of 2' })).toBeVisible({ timeout: 15_000 });
  await expect(widget.composer(page)).toBeFocused();
});

test('Retry from the keyboard: the error and its button go, the focus stays in the window', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser('focus') } } });
  await widget.bubble(page).focus();
  await page.keyboard.press('Enter');
  await expect(widget.window(page).locator('.welcome-text')).toBeVisible();
  await mockControl(mock).fault({ kind: 'error-event', afterEvents: 2 });
  await page.keyboard.type('Please answer this');
  await page.keyboard.press('Enter');
  const retry = lastAnswer(page).getByRole('button', { name: 'Retry' });
  await expect(retry).toBeVisible({ timeout: 15_000 });
  await retry.focus();
  await page.keyboard.press('Enter');
  await expect(widget.composer(page)).toBeFocused();
  await expect(lastAnswer(page)).toContainText('You asked: “Please answer this”', { timeout: 15_000 });
  await expect(widget.composer(page)).toBeFocused();
});

test('a suggested question chosen from the keyboard asks it; the focus goes to the message box', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser('focus') } } });
  await widget.bubble(page).focus();
  await page.keyboard.press('Enter');
  await widget.window(page).getByRole('list', { name: 'Suggested questions' }).getByRole('button').first().focus();
  await page.keyboard.press('Enter');
  // The welcome and its chips are gone for good once there is a question.
  await expect(widget.window(page).locator('.welcome')).toHaveCount(0);
  await expect(widget.composer(page)).toBeFocused();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  await expect(widget.composer(page)).toBeFocused();
});
