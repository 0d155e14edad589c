import { expect, test, widget } from './support/host-page.ts';
import { mockControl } from './support/mock-control.ts';

/*
 * The demo page (`npm start`, demo/public/): what a first-time user of the QA page meets. It is
 * served by the mock server itself, as `npm start` serves it.
 */

test.afterEach(async ({ mock }) => {
  // Faults queued from the QA panel would hit the next test's requests.
  await mockControl(mock).clearFaults();
});

test('one box is called "Message": the chat\'s, not also the contact form\'s', async ({ page, mock }) => {
  await page.goto(`${mock.url}/`);
  await widget.bubble(page).click();
  // Playwright's name match is a case-insensitive substring, as a screen reader's find is.
  await expect(widget.composer(page)).toHaveCount(1);
  await expect(widget.composer(page)).toBeFocused();
  await expect(page.getByRole('textbox', { name: 'How can we help?' })).toBeVisible();
});

test('the QA panel confirms a queued fault next to the button, in view and as a polite status', async ({ page, mock }) => {
  await page.goto(`${mock.url}/`);
  await page.getByRole('button', { name: 'QA ▸' }).click();
  const panel = page.getByRole('complementary', { name: 'QA panel' });
  for (const name of ['Cut stream', 'Malformed event']) {
    const button = panel.getByRole('button', { name });
    await button.click();
    const status = panel.getByRole('status').filter({ hasText: `Queued "${name}" for the next request.` });
    await expect(status).toBeInViewport();
    await expect(status).toHaveAttribute('aria-live', 'polite');
    await expect(button).toBeInViewport();
    // Right under the buttons: less than the panel's height away, not at its top.
    const [b, s] = [(await button.boundingBox())!, (await status.boundingBox())!];
    expect(s.y).toBeGreaterThan(b.y);
    expect(s.y - b.y).toBeLessThan(200);
  }
});
