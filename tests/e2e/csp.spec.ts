import type { Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { strictPage, watchCsp, type StrictPageOptions } from './support/csp-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

/*
 * docs/ARCHITECTURE.md §5: the widget must work on pages with a strict Content-Security-Policy — styles through
 * constructable stylesheets (or a <style nonce> fallback), no inline scripts or style attributes,
 * no eval, no HTML strings (Trusted Types) — and must not trigger a single violation report.
 */

const lastAnswer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  await mockControl(mock).settings({ tokenDelayMs: 4 });
});

/** Opens the page, then the chat; asks for markdown and checks it all rendered, styled. */
async function useTheWholeWidget(page: Page) {
  await expect(widget.bubble(page)).toBeVisible();
  // Styled: Dify's 48px bubble in its default colour, not an unstyled button.
  expect(
    await widget
      .bubbleHost(page)
      .evaluate((el) => [el.getBoundingClientRect().width, el.getBoundingClientRect().height, getComputedStyle(el).backgroundColor]),
  ).toEqual([48, 48, 'rgb(21, 94, 239)']);
  await widget.bubble(page).click();
  const win = widget.window(page);
  await expect(win.getByRole('heading', { name: 'Acme Support (chat)' })).toBeVisible();
  await expect(win.locator('.welcome-text')).toContainText('I am the Acme support bot');
  const box = (await win.boundingBox())!;
  expect([box.width, box.height]).toEqual([384, 700]);
  // The app's theme colour (#1C64F2) reached the header through the stylesheet's variables.
  await expect(win.locator('.header')).toHaveCSS('background-color', 'rgb(28, 100, 242)');

  await widget.composer(page).fill('Show me some markdown');
  await widget.composer(page).press('Enter');
  // Not a check for the passing 'streaming' state: on a busy machine the whole stream can arrive
  // in one read and render straight as 'done' (chat.spec.ts covers streaming). Here what counts
  // is that the request was allowed and everything rendered.
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const answer = lastAnswer(page);
  await expect(answer.locator('h1, h2, h3').first()).toBeVisible();
  await expect(answer.locator('table')).toBeVisible();
  await expect(answer.locator('pre code').first()).toBeVisible();
  // The image from the Dify server loaded (img-src allows it) and was not blocked.
  const image = answer.getByRole('img', { name: 'A small test image' });
  await expect(image).toBeVisible();
  await expect
    .poll(() => image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth), {
      timeout: 15_000,
    })
    .toBeGreaterThan(0);

  // Sources come with the answer-extras part: one more script (nonce, Trusted Types) and sheet.
  await widget.composer(page).fill('Answer with citations');
  await widget.composer(page).press('Enter');
  const sources = lastAnswer(page).getByRole('region', { name: 'Sources' });
  await expect(sources).toBeVisible({ timeout: 30_000 });
  await expect(sources).toHaveCSS('border-top-style', 'solid');
}

async function expectNoViolations(watch: ReturnType<typeof watchCsp>) {
  const { violations, errors, refused } = await watch.read();
  expect(violations, 'securitypolicyviolation events').toEqual([]);
  expect(errors, 'uncaught errors on the page').toEqual([]);
  expect(refused, 'console messages about refused content').toEqual([]);
}

async function openStrict(page: Page, site: { add(html: string, headers?: Record<string, string>): string }, options: StrictPageOptions) {
  const { html, headers, csp } = strictPage(options);
  const watch = watchCsp(page);
  const response = await page.goto(site.add(html, headers));
  expect(response?.headers()['content-security-policy']).toBe(csp);
  return watch;
}

const VARIANTS: Array<{ name: string; options: Partial<StrictPageOptions> }> = [
  { name: "default-src 'none', style-src 'self', hashed inline config", options: {} },
  { name: 'the same, embed.min.js served by the Dify server as in its console snippet', options: { scriptFromMock: true } },
  { name: "the same plus require-trusted-types-for 'script'", options: { extra: ["require-trusted-types-for 'script'"] } },
  {
    name: "the same plus Trusted Types limited to the widget's documented policy name",
    options: { extra: ["require-trusted-types-for 'script'", 'trusted-types dify-chatbot'] },
  },
];

for (const variant of VARIANTS) {
  test(`strict CSP (${variant.name}): open, welcome, ask, streamed markdown with an image — no violation`, async ({ page, site, mock }) => {
    const watch = await openStrict(page, site, {
      mockUrl: mock.url,
      config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser('csp') } },
      ...variant.options,
    });
    await useTheWholeWidget(page);
    await expectNoViolations(watch);
  });
}

test('the collector works: an inline style attribute written as HTML is reported (guards against a silent harness)', async ({
  page,
  site,
  mock,
}) => {
  const watch = await openStrict(page, site, { mockUrl: mock.url, config: { token: 'demo-chat', baseUrl: mock.url } });
  await expect(widget.bubble(page)).toBeVisible();
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<p style="color: red">styled by HTML</p>'));
  await expect.poll(async () => (await watch.read()).violations.length).toBeGreaterThan(0);
});

test.describe('without constructable stylesheets', () => {
  test.beforeEach(async ({ page }) => {
    // A browser without adoptedStyleSheets (Safari < 16.4, older Firefox): the widget must fall
    // back to <style nonce> elements inside its shadow roots.
    await page.addInitScript(() => {
      delete (ShadowRoot.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
      delete (Document.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
    });
  });

  test("style-src 'nonce-abc' with config nonce 'abc': bubble and window fully styled, no violation", async ({ page, site, mock }) => {
    const watch = await openStrict(page, site, {
      mockUrl: mock.url,
      config: { token: 'demo-chat', baseUrl: mock.url, nonce: 'abc', systemVariables: { user_id: uniqueUser('nonce') } },
      directives: { 'style-src': "'nonce-abc'" },
    });
    expect(await page.evaluate(() => 'adoptedStyleSheets' in ShadowRoot.prototype)).toBe(false);
    await useTheWholeWidget(page);
    // The fallback really was used: <style> elements in both shadow roots, carrying the nonce.
    const styles = await page.evaluate(() =>
      ['dify-chatbot-bubble-button', 'dify-chatbot-bubble-window'].map((id) => {
        const root = document.getElementById(id)!.shadowRoot!;
        return [...root.querySelectorAll('style')].map((s) => s.nonce);
      }),
    );
    for (const nonces of styles) {
      expect(nonces.length).toBeGreaterThan(0);
      expect(new Set(nonces)).toEqual(new Set(['abc']));
    }
    await expectNoViolations(watch);
  });

  test('without the nonce in the config the same page refuses the styles (the nonce is what makes it work)', async ({
    page,
    site,
    mock,
  }) => {
    const watch = await openStrict(page, site, {
      mockUrl: mock.url,
      config: { token: 'demo-chat', baseUrl: mock.url },
      directives: { 'style-src': "'nonce-abc'" },
    });
    await expect(widget.bubbleHost(page)).toBeAttached();
    await expect
      .poll(async () => (await watch.read()).violations.some((v) => (v as { directive: string }).directive.startsWith('style-src')))
      .toBe(true);
  });
});
