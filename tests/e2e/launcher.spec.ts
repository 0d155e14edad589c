import type { ConsoleMessage, Page } from '@playwright/test';
import { expect, test } from './support/host-page.ts';

const TOKEN = 'demo-chat';
const bubbleHost = (page: Page) => page.locator('#dify-chatbot-bubble-button');
const bubbleButton = (page: Page) => page.locator('#dify-chatbot-bubble-button button');
const windowHost = (page: Page) => page.locator('#dify-chatbot-bubble-window');
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });

/** Collects console errors and uncaught exceptions of the page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  return errors;
}

/** The snippet Dify's console generates (web/app/components/app/overview/embedded/index.tsx). */
const DIFY_SNIPPET_STYLE = `<style>
  #dify-chatbot-bubble-button {
    background-color: #1C64F2 !important;
  }
  #dify-chatbot-bubble-window {
    width: 24rem !important;
    height: 40rem !important;
  }
</style>`;

test('Dify console snippet works verbatim: bubble of its colour, window of its size', async ({ page, openHostPage, mock }) => {
  const errors = watchErrors(page);
  await openHostPage({
    config: { token: TOKEN, baseUrl: mock.url },
    scriptAttributes: `defer`,
    head: DIFY_SNIPPET_STYLE,
  });
  await expect(bubbleButton(page)).toBeVisible();
  expect(await bubbleHost(page).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(28, 100, 242)');
  await bubbleButton(page).click();
  await expect(windowHost(page)).toBeVisible();
  const box = await windowHost(page).boundingBox();
  expect(box?.width).toBe(384);
  expect(box?.height).toBe(640);
  // Anchored to the bubble: above it, right edges aligned, inside the viewport.
  const bubble = await bubbleHost(page).boundingBox();
  expect(Math.round(box!.x + box!.width)).toBe(Math.round(bubble!.x + bubble!.width));
  expect(box!.y + box!.height).toBeLessThanOrEqual(bubble!.y);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(errors).toEqual([]);
});

test('default look: Dify defaults for the bubble variables, a 24rem x 43.75rem window', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url } });
  const style = await bubbleHost(page).evaluate((el) => {
    const s = getComputedStyle(el);
    return { bg: s.backgroundColor, w: s.width, h: s.height, right: s.right, bottom: s.bottom, radius: s.borderRadius, z: s.zIndex };
  });
  expect(style).toEqual({ bg: 'rgb(21, 94, 239)', w: '48px', h: '48px', right: '16px', bottom: '16px', radius: '25px', z: '2147483647' });
  await bubbleButton(page).click();
  const box = await windowHost(page).boundingBox();
  expect([box?.width, box?.height]).toEqual([384, 700]);
});

test("the page can restyle the bubble through Dify's CSS variables", async ({ page, openHostPage, mock }) => {
  await openHostPage({
    config: { token: TOKEN, baseUrl: mock.url },
    head: `<style>:root { --dify-chatbot-bubble-button-bg-color: rgb(1, 2, 3); --dify-chatbot-bubble-button-width: 60px;
      --dify-chatbot-bubble-button-height: 60px; --dify-chatbot-bubble-button-right: 40px; --dify-chatbot-bubble-button-bottom: 30px; }</style>`,
  });
  const style = await bubbleHost(page).evaluate((el) => {
    const s = getComputedStyle(el);
    return [s.backgroundColor, s.width, s.right, s.bottom];
  });
  expect(style).toEqual(['rgb(1, 2, 3)', '60px', '40px', '30px']);
});

test('click, Enter, Space and Escape open and close; focus moves in and back', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url } });
  const button = bubbleButton(page);
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await expect(button).toHaveAccessibleName('Open chat');

  await button.click();
  await expect(windowHost(page)).toBeVisible();
  await expect(windowHost(page)).toHaveAttribute('role', 'dialog');
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(button).toHaveAccessibleName('Close chat');
  await expect(composer(page)).toBeFocused();
  expect(await button.evaluate((b) => (b as HTMLButtonElement & { ariaControlsElements: Element[] }).ariaControlsElements?.[0]?.id)).toBe(
    'dify-chatbot-bubble-window',
  );

  await page.keyboard.press('Escape');
  await expect(windowHost(page)).toBeHidden();
  await expect(button).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(windowHost(page)).toBeVisible();
  await expect(composer(page)).toBeFocused();
  await page.getByRole('button', { name: 'Close chat' }).last().click();
  await expect(windowHost(page)).toBeHidden();
  await expect(button).toBeFocused();

  await page.keyboard.press('Space');
  await expect(windowHost(page)).toBeVisible();
  await button.click();
  await expect(windowHost(page)).toBeHidden();
});

test("expand switches to Dify's expanded size and back", async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url } });
  await bubbleButton(page).click();
  await page.getByRole('button', { name: 'Expand chat' }).click();
  const expanded = await windowHost(page).boundingBox();
  expect(expanded!.width).toBeCloseTo(614.4, 0); // 48% of 1280, within min 384 / max 640
  expect(expanded!.height).toBeGreaterThan(700 - 1);
  expect(expanded!.y).toBeGreaterThanOrEqual(0);
  await page.getByRole('button', { name: 'Shrink chat' }).click();
  expect((await windowHost(page).boundingBox())!.width).toBe(384);
});

for (const axis of ['x', 'y', 'both'] as const) {
  test(`dragging along ${axis} moves the bubble, never opens the window, and survives a reload`, async ({ page, openHostPage, mock }) => {
    await openHostPage({ config: { token: TOKEN, baseUrl: mock.url, draggable: true, dragAxis: axis } });
    const before = (await bubbleHost(page).boundingBox())!;
    const cx = before.x + before.width / 2;
    const cy = before.y + before.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx - 100, cy - 80, { steps: 8 });
    await page.mouse.move(cx - 300, cy - 200, { steps: 8 });
    await page.mouse.up();
    const after = (await bubbleHost(page).boundingBox())!;
    expect(after.x).toBeCloseTo(axis === 'y' ? before.x : before.x - 300, 0);
    expect(after.y).toBeCloseTo(axis === 'x' ? before.y : before.y - 200, 0);
    await expect(windowHost(page)).toHaveCount(0);

    await page.reload();
    const reloaded = (await bubbleHost(page).boundingBox())!;
    expect(reloaded.x).toBeCloseTo(after.x, 0);
    expect(reloaded.y).toBeCloseTo(after.y, 0);
  });
}

test("a short move is still a click; the window re-anchors to the dragged bubble's quadrant", async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url, draggable: true } });
  const b = (await bubbleHost(page).boundingBox())!;
  await page.mouse.move(b.x + 24, b.y + 24);
  await page.mouse.down();
  await page.mouse.move(b.x + 28, b.y + 27);
  await page.mouse.up();
  await expect(windowHost(page)).toBeVisible();
  await bubbleButton(page).click();

  // Drag to the top-left corner: the window now opens below it, left edges aligned.
  await page.mouse.move(b.x + 24, b.y + 24);
  await page.mouse.down();
  await page.mouse.move(40, 40, { steps: 10 });
  await page.mouse.up();
  await expect(windowHost(page)).toBeHidden();
  await bubbleButton(page).click();
  const bubble = (await bubbleHost(page).boundingBox())!;
  const win = (await windowHost(page).boundingBox())!;
  expect(win.y).toBeGreaterThan(bubble.y + bubble.height);
  expect(Math.round(win.x)).toBe(Math.round(bubble.x));
});

test('a bubble dragged to the middle of the page: the window opens full size beside it, inside the viewport', async ({
  page,
  openHostPage,
  mock,
}) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url, draggable: true } });
  const b = (await bubbleHost(page).boundingBox())!;
  await page.mouse.move(b.x + 24, b.y + 24);
  await page.mouse.down();
  await page.mouse.move(640, 400, { steps: 10 });
  await page.mouse.up();
  await bubbleButton(page).click();
  await expect(windowHost(page)).toBeVisible();
  const bubble = (await bubbleHost(page).boundingBox())!;
  const win = (await windowHost(page).boundingBox())!;
  // Above or below there are 344px; beside there is room for all of it.
  expect([win.width, win.height]).toEqual([384, 700]);
  const apart = win.x + win.width <= bubble.x || bubble.x + bubble.width <= win.x;
  expect(apart, `window ${JSON.stringify(win)} covers the bubble ${JSON.stringify(bubble)}`).toBe(true);
  expect(win.x).toBeGreaterThanOrEqual(0);
  expect(win.y).toBeGreaterThanOrEqual(0);
  expect(win.x + win.width).toBeLessThanOrEqual(1280);
  expect(win.y + win.height).toBeLessThanOrEqual(800);
  // It follows the viewport: a shorter one squeezes it beside the bubble rather than hiding it.
  await page.setViewportSize({ width: 1280, height: 600 });
  await expect.poll(async () => (await windowHost(page).boundingBox())!.height).toBeLessThanOrEqual(600 - 32);
  const squeezed = (await windowHost(page).boundingBox())!;
  expect(squeezed.y).toBeGreaterThanOrEqual(0);
  expect(squeezed.y + squeezed.height).toBeLessThanOrEqual(600);
});

test('the window hides while the bubble is dragged', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url, draggable: true } });
  await bubbleButton(page).click();
  const b = (await bubbleHost(page).boundingBox())!;
  await page.mouse.move(b.x + 24, b.y + 24);
  await page.mouse.down();
  await page.mouse.move(b.x - 50, b.y - 50, { steps: 5 });
  await expect(windowHost(page)).toHaveCSS('visibility', 'hidden');
  await page.mouse.up();
  await expect(windowHost(page)).toHaveCSS('visibility', 'visible');
});

test('the bubble stays inside the viewport after the window shrinks', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url, draggable: true } });
  const b = (await bubbleHost(page).boundingBox())!;
  await page.mouse.move(b.x + 24, b.y + 24);
  await page.mouse.down();
  await page.mouse.move(1100, 300, { steps: 10 });
  await page.mouse.up();
  await page.setViewportSize({ width: 700, height: 500 });
  await expect.poll(async () => (await bubbleHost(page).boundingBox())!.x + 48).toBeLessThanOrEqual(700);
});

test('arrow keys move a focused draggable bubble', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url, draggable: true, dragAxis: 'x' } });
  const before = (await bubbleHost(page).boundingBox())!;
  // The hint is a hidden element, read as the description because aria-describedby names it.
  await expect(bubbleButton(page)).toHaveAccessibleDescription('Use the arrow keys to move the chat button.');
  await bubbleButton(page).focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('ArrowUp'); // not on the allowed axis
  const after = (await bubbleHost(page).boundingBox())!;
  expect(after.x).toBeCloseTo(before.x - 16 - 64, 0);
  expect(after.y).toBeCloseTo(before.y, 0);
  await expect(windowHost(page)).toHaveCount(0);
});

test('loading the script twice mounts one bubble', async ({ page, openHostPage, mock }) => {
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url }, twice: true });
  await expect(bubbleButton(page)).toBeVisible();
  await expect(page.locator('#dify-chatbot-bubble-button')).toHaveCount(1);
});

test('difyChatbot.mount() while mounted: one console message naming destroy(), and the mounted widget stays as it is', async ({
  page,
  openHostPage,
  mock,
}) => {
  const messages: string[] = [];
  page.on('console', (m) => m.text().startsWith('[dify-chatbot]') && messages.push(`${m.type()}: ${m.text()}`));
  await openHostPage({ config: { token: TOKEN, baseUrl: mock.url } });
  await expect(bubbleButton(page)).toBeVisible();
  await page.evaluate(
    (url) => (window as unknown as { difyChatbot: { mount(c: unknown): void } }).difyChatbot.mount({ token: 'demo-agent', baseUrl: url }),
    mock.url,
  );
  await expect.poll(() => messages.length).toBe(1);
  expect(messages[0]).toMatch(/^warning: \[dify-chatbot\] Already mounted.*call destroy\(\) first/);
  await expect(bubbleHost(page)).toHaveCount(1);
  // Still the first config's chat.
  await bubbleButton(page).click();
  await expect(windowHost(page).getByRole('heading', { name: 'Acme Support (chat)' })).toBeVisible();
  expect(messages).toHaveLength(1);
});

for (const placement of [
  { name: 'in <head>', script: 'head' as const, attrs: '' },
  { name: 'in <head> with defer', script: 'head' as const, attrs: 'defer' },
  { name: 'in <head> with async', script: 'head' as const, attrs: 'async' },
  { name: 'at the end of <body> with async', script: 'body-end' as const, attrs: 'async' },
]) {
  test(`works with the script ${placement.name}`, async ({ page, openHostPage, mock }) => {
    await openHostPage({ config: { token: TOKEN, baseUrl: mock.url }, script: placement.script, scriptAttributes: placement.attrs });
    await expect(bubbleButton(page)).toBeVisible();
  });
}

for (const dynamicScript of [true, false]) {
  test(`a script injected after load works (dynamicScript: ${dynamicScript})`, async ({ page, openHostPage, mock }) => {
    await openHostPage({ config: { token: TOKEN, baseUrl: mock.url, dynamicScript }, script: 'none' });
    await page.waitForLoadState('load');
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.src = '/embed.min.js';
      document.body.append(s);
    });
    await expect(bubbleButton(page)).toBeVisible();
  });
}

test("the page's own body.onload still fires", async ({ page, openHostPage, mock }) => {
  await openHostPage({
    config: { token: TOKEN, baseUrl: mock.url },
    body: `<p>page</p><script>document.body.onload = () => { window.hostOnloadRan = true; };</script>`,
  });
  await expect(bubbleButton(page)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { hostOnloadRan?: boolean }).hostOnloadRan)).toBe(true);
  expect(await page.evaluate(() => typeof document.body.onload)).toBe('function');
});

test('a secret API key is refused: no bubble, a clear console error, no request', async ({ page, openHostPage, mock }) => {
  const errors = watchErrors(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openHostPage({ config: { token: 'app-AbCdEfGhIjKlMnOpQrStUvWx', baseUrl: mock.url } });
  await page.waitForLoadState('load');
  await expect(page.locator('#dify-chatbot-bubble-button')).toHaveCount(0);
  expect(errors.join('\n')).toMatch(/\[dify-chatbot\].*secret API key/);
  expect(requests.filter((u) => u.startsWith(mock.url))).toEqual([]);
});

test('bad config values: one message each, safe defaults, still works', async ({ page, openHostPage }) => {
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await openHostPage({ config: { token: TOKEN, dragAxis: 'diagonal', draggable: 'yes', storage: 'cookies' } });
  await expect(bubbleButton(page)).toBeVisible();
  expect(warnings.filter((w) => w.startsWith('[dify-chatbot]'))).toHaveLength(3);
});

test('containerProps reach the bubble element', async ({ page, openHostPage, mock }) => {
  await openHostPage({
    config: { token: TOKEN, baseUrl: mock.url },
    body: `<script>window.difyChatbotConfig.containerProps = { className: 'brand-bubble', style: { opacity: '0.8' },
      onMouseEnter: () => { window.hovered = (window.hovered || 0) + 1; }, title: 'Talk to us' };</script>`,
  });
  const host = bubbleHost(page);
  await expect(host).toHaveClass(/brand-bubble/);
  await expect(host).toHaveCSS('opacity', '0.8');
  await expect(host).toHaveAttribute('title', 'Talk to us');
  await host.hover();
  expect(await page.evaluate(() => (window as unknown as { hovered: number }).hovered)).toBe(1);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 667 }, hasTouch: true, isMobile: true });

  test('the window is a full-screen sheet, the page does not scroll behind it, 16px input text', async ({ page, openHostPage, mock }) => {
    await openHostPage({
      config: { token: TOKEN, baseUrl: mock.url },
      head: DIFY_SNIPPET_STYLE,
      body: '<main style="height: 3000px">Long page</main>',
    });
    await bubbleButton(page).tap();
    await expect(windowHost(page)).toBeVisible();
    const box = (await windowHost(page).boundingBox())!;
    expect([box.x, box.y, box.width, box.height]).toEqual([0, 0, 375, 667]);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe('hidden');
    await expect(composer(page)).toHaveCSS('font-size', '16px');
    // The bubble would cover the sheet's composer: it hides until the sheet closes.
    await expect(bubbleButton(page)).toBeHidden();
    await page.getByRole('button', { name: 'Close chat' }).last().tap();
    await expect(windowHost(page)).toBeHidden();
    await expect(bubbleButton(page)).toBeVisible();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe('visible');
  });
});
