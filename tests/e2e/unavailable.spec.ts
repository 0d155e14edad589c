import type { Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

/*
 * While the chat is unavailable (a disabled site), the message box and Send say so instead of
 * taking a question that can only fail: the box keeps the draft, read-only, with the reason as
 * its description, and keeps the focus.
 */

const UNAVAILABLE = 'This chat is unavailable right now.';
const send = (page: Page) => widget.window(page).getByRole('button', { name: 'Send message' });

async function expectLocked(page: Page, draft: string) {
  const box = widget.composer(page);
  await expect(box).toBeDisabled();
  await expect(box).not.toBeEditable();
  await expect(box).toHaveAccessibleDescription(UNAVAILABLE);
  await expect(box).toHaveValue(draft);
  await expect(send(page)).toBeDisabled();
}

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  await mockControl(mock).settings({ tokenDelayMs: 4 });
});

test('site disabled before the visit: the draft stays in a read-only box that says why, and Send is disabled', async ({
  page,
  openHostPage,
  mock,
}) => {
  const config = { token: 'demo-agent', baseUrl: mock.url, systemVariables: { user_id: uniqueUser('off') } };
  await openHostPage({ config });
  await widget.bubble(page).click();
  await widget.composer(page).fill('A question I typed earlier');
  await expect(send(page)).toBeEnabled();

  await mockControl(mock).app('demo-agent', { enable_site: false });
  try {
    await page.reload();
    await widget.bubble(page).focus();
    await page.keyboard.press('Enter');
    await expect(widget.window(page).locator('.error-note')).toContainText('unavailable');
    await expectLocked(page, 'A question I typed earlier');
    // Focusable still, so a keyboard visitor is not dropped to the page; Enter sends nothing.
    await expect(widget.composer(page)).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.type('more');
    await expect(widget.composer(page)).toHaveValue('A question I typed earlier');
    await expect(widget.window(page).locator('.turn')).toHaveCount(0);
  } finally {
    await mockControl(mock).app('demo-agent', { enable_site: true });
  }
});

test('site disabled during the chat: the refused question says "unavailable"; the box and Send lock until a new conversation', async ({
  page,
  openHostPage,
  mock,
}) => {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser('off') } } });
  await widget.bubble(page).click();
  await widget.composer(page).fill('first');
  await widget.composer(page).press('Enter');
  const lastAnswer = widget.window(page).locator('.turn .answer').last();
  await expect(lastAnswer).toHaveAttribute('data-status', 'done', { timeout: 15_000 });

  await mockControl(mock).fault({ kind: 'site-disabled' });
  await widget.composer(page).fill('are you there?');
  await widget.composer(page).press('Enter');
  await expect(widget.window(page).locator('.turn').last().locator('.error-note')).toContainText('unavailable', { timeout: 15_000 });
  await expectLocked(page, '');
  await expect(widget.composer(page)).toBeFocused();

  // The fault was a one-off: a new conversation may try again.
  await widget.window(page).getByRole('button', { name: 'New conversation' }).click();
  await expect(widget.composer(page)).toBeEditable();
  await expect(widget.composer(page)).not.toHaveAttribute('aria-description');
  await widget.composer(page).fill('hello again');
  await expect(send(page)).toBeEnabled();
});
