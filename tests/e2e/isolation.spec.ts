import type { Browser, Locator, Page, TestInfo } from '@playwright/test';
import { expect, hostPageHtml, test, widget, type HostSite } from './support/host-page.ts';
import {
  bootstrapCss,
  ELEMENT_SELECTORS,
  MEYER_RESET,
  modernNormalize,
  ROOT_FONT_SIZE,
  tailwindPreflight,
  UNIVERSAL_IMPORTANT,
  UNIVERSAL_INHERITED,
} from './support/hostile-css.ts';
import { mockControl } from './support/mock-control.ts';
import { attachDiff, comparePngs, describeDiff, type PixelDiff } from './support/pixels.ts';

/*
 * Isolation both ways (docs/ARCHITECTURE.md §5): a host page's CSS must not change how the widget looks, and
 * the widget must not change how the page looks.
 *
 * Tolerances: a pixel differs when any RGBA channel differs by more than 16 of 255 (absorbs
 * anti-aliasing jitter, far below any colour or font change); at most 0.5 % of the compared pixels
 * may differ (a 48px bubble has ~1,800 opaque pixels, so 9 may differ: a moved 1px edge, not a
 * shifted icon; the window has ~260,000, so ~1,300: less than one changed word). Pixels where the
 * page shows through the widget (rounded corners, anti-aliased edges) are left out, found by
 * rendering the widget on a white and on a black plain page.
 */
const THRESHOLD = 16;
const MAX_RATIO = 0.005;

const TOKEN = 'demo-chat';
const SHOT = { animations: 'disabled', caret: 'hide' } as const;

/** A page with the usual content, so hostile rules have something to chew on. */
const BODY = `<header class="site"><nav><a href="#">Home</a> <a href="#">Pricing</a></nav></header>
<main class="container">
  <h1>Welcome to the host page</h1>
  <p>Some content the visitor reads, with <strong>bold</strong> and <a href="#">a link</a>.</p>
  <ul><li>First</li><li>Second</li></ul>
  <form><label>Email <input type="email" placeholder="you@example.com"></label> <button type="button" class="btn btn-primary">Subscribe</button></form>
  <div hidden>hidden by the page</div>
</main>`;

type Box = { x: number; y: number; width: number; height: number };
interface WidgetShots {
  bubbleBox: Box;
  windowBox: Box;
  bubble: Buffer;
  window: Buffer;
}

/**
 * The element's box once it has stopped moving: the same in two consecutive frames of the page.
 * The window is placed when shown and again when a ResizeObserver reports its size; on a busy
 * machine those frames come late, so no fixed number of frames is "settled".
 */
function settledBox(locator: Locator): Promise<Box> {
  return locator.evaluate(
    (el) =>
      new Promise<Box>((done) => {
        let last = '';
        const check = () => {
          const { x, y, width, height } = el.getBoundingClientRect();
          const now = `${x} ${y} ${width} ${height}`;
          if (now === last) done({ x, y, width, height });
          else {
            last = now;
            requestAnimationFrame(check);
          }
        };
        requestAnimationFrame(check);
      }),
  );
}

/**
 * Loads a page with the widget, waits for the welcome, and screenshots both hosts' regions.
 * `clips` are the reference's regions: the widget must get there before it is compared.
 */
async function shootWidget(page: Page, clips?: { bubble: Box; window: Box }): Promise<WidgetShots> {
  await expect(widget.bubble(page)).toBeVisible();
  await page.mouse.move(0, 0);
  // Not hovered (the hover brightens it; the screenshot finishes the transition).
  await expect.poll(() => widget.bubbleHost(page).evaluate((el) => el.matches(':hover'))).toBe(false);
  const bubbleBox = await settledBox(widget.bubbleHost(page));
  const bubble = await page.screenshot({ ...SHOT, clip: clips?.bubble ?? bubbleBox });
  await widget.bubble(page).focus();
  await page.keyboard.press('Enter');
  const win = widget.window(page);
  await expect(win).toBeVisible();
  await expect(win.getByRole('heading', { name: 'Acme Support (chat)' })).toBeVisible();
  await expect(win.locator('.welcome-text')).toBeVisible();
  await expect(win.getByRole('list', { name: 'Suggested questions' }).getByRole('button')).toHaveCount(3);
  await expect(widget.composer(page)).toBeFocused();
  if (clips)
    await expect.poll(async () => roundBox((await win.boundingBox())!), 'the window reaches its place').toEqual(roundBox(clips.window));
  const windowBox = await settledBox(win);
  const window = await page.screenshot({ ...SHOT, clip: clips?.window ?? windowBox });
  return { bubbleBox, windowBox, bubble, window };
}

interface Reference {
  /** On a white page. */
  white: WidgetShots;
  /** Same regions on a black page: where these differ from `white`, the page shows through. */
  black: WidgetShots;
}

const references = new Map<string, Promise<Reference>>();

/** The widget on plain pages (cached per worker): `css` is extra CSS the reference must carry. */
function reference(
  browser: Browser,
  site: HostSite,
  mockUrl: string,
  viewport: { width: number; height: number },
  css = '',
): Promise<Reference> {
  let cached = references.get(css);
  if (!cached) {
    const shoot = async (background: string, clips?: { bubble: Box; window: Box }) => {
      const page = await browser.newPage({ viewport });
      try {
        await page.goto(
          site.add(
            hostPageHtml(
              {
                config: { token: TOKEN, baseUrl: mockUrl },
                body: BODY,
                head: `<style>html, body { background: ${background}; } ${css}</style>`,
              },
              mockUrl,
            ),
          ),
        );
        return await shootWidget(page, clips);
      } finally {
        await page.close();
      }
    };
    cached = (async () => {
      const white = await shoot('#fff');
      const black = await shoot('#000', { bubble: white.bubbleBox, window: white.windowBox });
      return { white, black };
    })();
    references.set(css, cached);
    // Its pages belong to the test that started it: when that test times out, Playwright closes
    // them. The next test then builds the reference again instead of failing on this one.
    cached.catch(() => references.delete(css));
  }
  return cached;
}

async function expectSamePixels(
  browser: Browser,
  testInfo: TestInfo,
  name: string,
  expected: Buffer,
  actual: Buffer,
  ignore: [Buffer, Buffer],
) {
  const diff: PixelDiff = await comparePngs(browser, expected, actual, { threshold: THRESHOLD, ignoreWhereDiffer: ignore });
  await attachDiff(testInfo, name, expected, actual, diff);
  expect(diff.sizeMismatch, `${name}: ${describeDiff(diff)}`).toBeUndefined();
  expect(diff.compared, `${name}: most pixels are the widget's own`).toBeGreaterThan(diff.width * diff.height * 0.5);
  expect(diff.ratio, `${name}: ${describeDiff(diff)}`).toBeLessThanOrEqual(MAX_RATIO);
}

const roundBox = (b: Box) => ({ x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) });

interface HostileCase {
  name: string;
  css: () => string;
  /**
   * CSS the reference page carries too: the documented exception that page rules reaching the
   * bubble host colour it (Dify's console snippet sets `background-color !important` on its id).
   */
  reference?: string;
}

const CASES: HostileCase[] = [
  {
    name: '`* { color, font, margin, padding, box-sizing, border, background, line-height !important }`',
    css: () => UNIVERSAL_IMPORTANT,
    reference: '#dify-chatbot-bubble-button { background-color: yellow !important; }',
  },
  { name: '`* { …every other inherited text property… !important }`', css: () => UNIVERSAL_INHERITED },
  {
    name: 'element selectors (`button, div, p, svg, span, textarea, ul, li…`) with !important, `[hidden] { display: block }`',
    css: () => ELEMENT_SELECTORS,
  },
  { name: '`html { font-size: 10px }` and inherited body text styles', css: () => ROOT_FONT_SIZE },
  { name: "Eric Meyer's reset and modern-normalize", css: () => MEYER_RESET + modernNormalize() },
  { name: "Bootstrap 5's bootstrap.min.css", css: bootstrapCss },
  { name: "Tailwind 3's preflight", css: tailwindPreflight },
];

test.describe('page CSS must not change the widget', () => {
  for (const c of CASES) {
    test(c.name, async ({ page, browser, site, mock, openHostPage }, testInfo) => {
      const viewport = page.viewportSize()!;
      const ref = await reference(browser, site, mock.url, viewport, c.reference);
      await openHostPage({ config: { token: TOKEN, baseUrl: mock.url }, body: BODY, head: `<style>${c.css()}</style>` });
      const shots = await shootWidget(page, { bubble: ref.white.bubbleBox, window: ref.white.windowBox });

      expect(roundBox(shots.bubbleBox), 'the bubble keeps its place and size').toEqual(roundBox(ref.white.bubbleBox));
      expect(roundBox(shots.windowBox), 'the window keeps its place and size').toEqual(roundBox(ref.white.windowBox));
      await expectSamePixels(browser, testInfo, 'bubble', ref.white.bubble, shots.bubble, [ref.white.bubble, ref.black.bubble]);
      await expectSamePixels(browser, testInfo, 'window', ref.white.window, shots.window, [ref.white.window, ref.black.window]);
      // What pixels do not show: the typed text's font and the pointer over the bubble.
      await expect(widget.composer(page)).toHaveCSS('font-size', '14px');
      await expect(widget.composer(page)).toHaveCSS('letter-spacing', 'normal');
      await expect(widget.bubble(page)).toHaveCSS('cursor', 'pointer');
    });
  }

  test("Dify's compatibility hooks still win over the widget's own rules on a hostile page", async ({ page, openHostPage, mock }) => {
    await openHostPage({
      config: { token: TOKEN, baseUrl: mock.url },
      body: BODY,
      head: `<style>${UNIVERSAL_IMPORTANT}
        #dify-chatbot-bubble-button { background-color: rgb(28, 100, 242) !important; }
        #dify-chatbot-bubble-window { width: 24rem !important; height: 20rem !important; }
        :root { --dify-chatbot-bubble-button-width: 60px; --dify-chatbot-bubble-button-height: 60px; }</style>`,
    });
    await expect(widget.bubbleHost(page)).toHaveCSS('background-color', 'rgb(28, 100, 242)');
    const bubble = (await widget.bubbleHost(page).boundingBox())!;
    expect([bubble.width, bubble.height]).toEqual([60, 60]);
    await widget.bubble(page).click();
    await expect(widget.window(page)).toBeVisible();
    // 24rem x 20rem of the hostile page's 30px root font: the page's own units, as in Dify's embed.
    const win = (await widget.window(page).boundingBox())!;
    expect([win.width, win.height]).toEqual([720, 600]);
  });
});

/**
 * Computed styles of every element of the last answer, in document order. Markdown answers use
 * more elements than the welcome (headings, lists, tables, code): a unit relative to the page
 * (rem, vw of a font) or an inherited property shows up here even where no pixels were compared.
 */
async function answerStyles(page: Page) {
  await expect(widget.bubble(page)).toBeVisible();
  await widget.bubble(page).click();
  await widget.composer(page).fill('Show me some markdown');
  await widget.composer(page).press('Enter');
  const answer = page.locator('#dify-chatbot-bubble-window .turn .answer').last();
  // Two chats stream at once here (the reference's and the test's): generous on a busy machine.
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  return answer.evaluate((root) => {
    const props = [
      'font-size',
      'font-family',
      'font-weight',
      'font-style',
      'line-height',
      'color',
      'background-color',
      'margin',
      'padding',
      'border',
      'letter-spacing',
      'word-spacing',
      'text-transform',
      'text-align',
      'text-indent',
      'white-space',
      'display',
      'list-style-type',
    ];
    return [root, ...root.querySelectorAll('*')].map((el) => {
      const s = getComputedStyle(el);
      return `${el.localName}.${[...el.classList].join('.')} ${props.map((p) => `${p}: ${s.getPropertyValue(p)}`).join('; ')}`;
    });
  });
}

const answerReference = new Map<string, Promise<string[]>>();

test.describe('page CSS must not change how answers render', () => {
  test.beforeEach(async ({ mock }) => {
    await mockControl(mock).settings({ tokenDelayMs: 2 });
  });

  for (const c of [
    { name: '`html { font-size: 10px }`', css: ROOT_FONT_SIZE },
    { name: '`* { … !important }` on everything', css: UNIVERSAL_IMPORTANT + UNIVERSAL_INHERITED },
  ]) {
    test(`a markdown answer (headings, lists, table, code, quote) has the same computed styles on a page with ${c.name}`, async ({
      page,
      browser,
      site,
      mock,
      openHostPage,
    }) => {
      let expected = answerReference.get(mock.url);
      if (!expected) {
        expected = (async () => {
          const plain = await browser.newPage({ viewport: page.viewportSize()! });
          try {
            await plain.goto(site.add(hostPageHtml({ config: { token: TOKEN, baseUrl: mock.url }, body: BODY }, mock.url)));
            return await answerStyles(plain);
          } finally {
            await plain.close();
          }
        })();
        answerReference.set(mock.url, expected);
        // As for `reference()`: a reference whose test died is built again by the next test.
        expected.catch(() => answerReference.delete(mock.url));
      }
      await openHostPage({ config: { token: TOKEN, baseUrl: mock.url }, body: BODY, head: `<style>${c.css}</style>` });
      const actual = await answerStyles(page);
      const reference = await expected;
      expect(actual.length, 'the same elements').toBe(reference.length);
      const differences = actual.flatMap((line, i) => (line === reference[i] ? [] : [`expected ${reference[i]}\n     got ${line}`]));
      expect(differences.slice(0, 5).join('\n')).toBe('');
    });
  }
});

/** Computed styles of a few page elements and document-level facts the widget could disturb. */
async function pageFacts(page: Page) {
  return page.evaluate(() => {
    const props = [
      'font-family',
      'font-size',
      'line-height',
      'color',
      'background-color',
      'margin',
      'padding',
      'box-sizing',
      'overflow',
      'display',
      'border',
      'width',
      'height',
      'position',
      'visibility',
      'text-align',
      'opacity',
    ];
    const styles: Record<string, Record<string, string>> = {};
    for (const selector of ['html', 'body', 'header', 'h1', 'p', 'a', 'ul', 'li', 'input', 'button', 'main', 'div[hidden]']) {
      const el = document.querySelector(selector)!;
      const s = getComputedStyle(el);
      styles[selector] = Object.fromEntries(props.map((p) => [p, s.getPropertyValue(p)]));
    }
    return {
      styles,
      headChildren: [...document.head.children].map((e) => e.outerHTML),
      styleSheets: document.styleSheets.length,
      adoptedStyleSheets: document.adoptedStyleSheets.length,
      htmlStyle: document.documentElement.getAttribute('style'),
      bodyStyle: document.body.getAttribute('style'),
      htmlClass: document.documentElement.className,
      bodyClass: document.body.className,
      scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight, scrollX, scrollY],
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id).filter((id) => id !== 'embed-script'),
    };
  });
}

const PAGE_CSS = `body { font: 16px/1.6 Georgia, serif; color: #222; background: #fafaf5; margin: 0; }
header.site { background: #0d3b66; color: #fff; padding: 12px 24px; } header.site a { color: #fff; }
main { padding: 24px; } h1 { font: 700 32px/1.2 system-ui, sans-serif; } button { padding: 6px 12px; }
:root { --brand: #0d3b66; }`;

test.describe("the widget's CSS must not change the page", () => {
  for (const state of ['bubble only', 'window open'] as const) {
    test(`page pixels and computed styles are identical with and without the widget (${state})`, async ({
      page,
      browser,
      openHostPage,
      mock,
    }, testInfo) => {
      // The same page, config included, without the embed script.
      await openHostPage({ config: { token: TOKEN, baseUrl: mock.url }, body: BODY, head: `<style>${PAGE_CSS}</style>`, script: 'none' });
      await page.mouse.move(640, 790);
      const without = await page.screenshot(SHOT);
      const factsWithout = await pageFacts(page);

      await openHostPage({ config: { token: TOKEN, baseUrl: mock.url }, body: BODY, head: `<style>${PAGE_CSS}</style>` });
      await expect(widget.bubble(page)).toBeVisible();
      if (state === 'window open') {
        await widget.bubble(page).click();
        await expect(widget.window(page).locator('.welcome-text')).toBeVisible();
      }
      await page.mouse.move(640, 790);
      // Hide the hosts with `visibility` only: their boxes stay, so a layout change would show.
      await page.evaluate(() => {
        for (const id of ['dify-chatbot-bubble-button', 'dify-chatbot-bubble-window']) {
          document.getElementById(id)?.style.setProperty('visibility', 'hidden', 'important');
        }
      });
      await expect(widget.bubbleHost(page)).toHaveCSS('visibility', 'hidden');
      if (state === 'window open') await expect(widget.window(page)).toHaveCSS('visibility', 'hidden');
      const withWidget = await page.screenshot(SHOT);
      const factsWith = await pageFacts(page);

      const diff = await comparePngs(browser, without, withWidget, { threshold: 0 });
      await attachDiff(testInfo, 'page', without, withWidget, diff);
      expect(diff.differing, describeDiff(diff)).toBe(0);
      expect(factsWith.styles).toEqual(factsWithout.styles);
      expect(factsWith.headChildren, 'nothing added to <head>').toEqual(factsWithout.headChildren);
      expect([factsWith.styleSheets, factsWith.adoptedStyleSheets], 'no document stylesheets').toEqual([
        factsWithout.styleSheets,
        factsWithout.adoptedStyleSheets,
      ]);
      expect([factsWith.htmlStyle, factsWith.bodyStyle, factsWith.htmlClass, factsWith.bodyClass]).toEqual([
        factsWithout.htmlStyle,
        factsWithout.bodyStyle,
        factsWithout.htmlClass,
        factsWithout.bodyClass,
      ]);
      expect(factsWith.scroll, 'same document size and scroll position').toEqual(factsWithout.scroll);
      expect(factsWith.ids.sort(), 'only the two compatibility ids are added').toEqual(
        [...factsWithout.ids, 'dify-chatbot-bubble-button', ...(state === 'window open' ? ['dify-chatbot-bubble-window'] : [])].sort(),
      );
    });
  }
});
