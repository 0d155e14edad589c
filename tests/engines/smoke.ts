import { expect } from 'vitest';
import { mockControl } from '../e2e/support/mock-control.ts';
import { waitInPage } from './engines.mjs';
import { ENGINE_FIXES } from './engine-fixes.ts';
import { chatConfig, type Journey, openPage, withTokenDelay } from './journey.ts';
import { strictCspPage } from './pages.ts';
import { decodePng, pixelsIn } from './png.ts';
import { ask, bubbleShown, clickWidget, expectQuietPage, openByClick, waitAnswer, waitFocus, waitWindow } from './widget.ts';

/**
 * The journeys that matter to a visitor, written once and run in every engine (smoke.test.ts)
 * through the thin driver layer of engines.mjs. Each journey starts from a fresh visitor (its own
 * end-user id) on a fresh page, and most end by checking that the page logged nothing.
 */
export const JOURNEYS: Journey[] = [
  {
    name: "the bubble shows in Dify's place, size and colour",
    async run(context) {
      const bubble = await openPage(context, 'bubble');
      expect(bubble.box).toMatchObject({ width: 48, height: 48 });
      expect([bubble.viewport.width - bubble.box.right, bubble.viewport.height - bubble.box.bottom]).toEqual([16, 16]);
      expect(bubble.background).toBe('rgb(21, 94, 239)');
      expect([bubble.label, bubble.expanded]).toEqual(['Open chat', 'false']);
      // On screen, not only laid out: the screenshot shows its colour beside the icon.
      const y = bubble.box.top + bubble.box.height / 2;
      const [pixel] = pixelsIn(decodePng(await context.driver.screenshot()), {
        left: bubble.box.left + 6,
        right: bubble.box.left + 7,
        top: y,
        bottom: y + 1,
      });
      expect(pixel).toEqual([21, 94, 239, 255]);
      await expectQuietPage(context.driver);
    },
  },
  {
    name: 'the keyboard opens and closes the chat, and focus goes in and comes back',
    async run(context) {
      const { driver } = context;
      await openPage(context, 'keys');
      // Tab from the top of a page with nothing else to focus reaches the bubble.
      await driver.press('Tab');
      await waitFocus(driver, 'bubble');
      await driver.press('Enter');
      await waitFocus(driver, 'composer');
      await waitWindow(driver, true);
      expect((await bubbleShown(driver)).expanded).toBe('true');
      await driver.press('Escape');
      await waitFocus(driver, 'bubble');
      await waitWindow(driver, false);
      await driver.press(' ');
      await waitFocus(driver, 'composer');
      await driver.press('Escape');
      await waitFocus(driver, 'bubble');
      expect((await bubbleShown(driver)).expanded).toBe('false');
      await expectQuietPage(driver);
    },
  },
  {
    name: 'an answer streams in token by token after a question',
    async run(context) {
      const { driver, mock } = context;
      await openPage(context, 'stream');
      await openByClick(driver);
      await withTokenDelay(mock, 40, async () => {
        const index = await ask(driver, 'What are your opening hours?');
        const partial = await waitAnswer(driver, index, 'streaming', 1);
        const done = await waitAnswer(driver, index, 'done');
        expect(done.text).toContain('You asked: “What are your opening hours?”');
        expect(partial.text.length).toBeLessThan(done.text.length);
      });
      expect(
        await driver.evaluate(() => document.getElementById('dify-chatbot-bubble-window')?.shadowRoot?.querySelector('textarea')?.value),
      ).toBe('');
      await expectQuietPage(driver);
    },
  },
  {
    name: 'markdown: a table and code blocks render as such',
    async run(context) {
      const { driver } = context;
      await openPage(context, 'markdown');
      await openByClick(driver);
      const index = await ask(driver, 'Show me some markdown');
      await waitAnswer(driver, index, 'done');
      const rendered = await driver.evaluate((index) => {
        const answer = document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!.querySelectorAll('.turn .answer')[index]!;
        const table = answer.querySelector('table');
        return {
          heading: answer.querySelector('h1')?.textContent,
          header: [...(table?.querySelectorAll('th') ?? [])].map((th) => th.textContent),
          rows: table?.querySelectorAll('tbody tr').length,
          tableWidth: table?.getBoundingClientRect().width ?? 0,
          code: [...answer.querySelectorAll('pre code')].map((code) => code.textContent?.split('\n')[0]),
        };
      }, index);
      expect(rendered).toMatchObject({
        heading: 'Markdown showcase',
        header: ['Feature', 'Status', 'Cost'],
        rows: 3,
        code: ['export function greet(name: string): string {', 'def fib(n: int) -> int:'],
      });
      expect(rendered.tableWidth).toBeGreaterThan(100);
      await expectQuietPage(driver);
    },
  },
  {
    name: 'Stop ends the answer where it is, and the server is told',
    async run(context) {
      const { driver, mock } = context;
      await openPage(context, 'stop');
      await openByClick(driver);
      await withTokenDelay(mock, 120, async () => {
        const index = await ask(driver, 'Tell me something long please');
        await waitAnswer(driver, index, 'streaming', 3);
        await clickWidget(driver, 'button.stop');
        const stopped = await waitAnswer(driver, index, 'stopped', 3);
        expect(stopped.text.length).toBeLessThan(1000);
      });
      await expect
        .poll(async () => (await mockControl(mock).requests('/api/chat-messages/')).some((request) => /\/stop$/.test(request.path)))
        .toBe(true);
      await expectQuietPage(driver);
    },
  },
  {
    name: 'a reload brings the conversation back',
    async run(context) {
      const { driver } = context;
      await openPage(context, 'reload');
      await openByClick(driver);
      await waitAnswer(driver, await ask(driver, 'first question'), 'done');
      await driver.reload();
      await openByClick(driver);
      // The history comes from the server after the window opens.
      const turns = await waitInPage(
        driver,
        () => {
          const found = [...document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!.querySelectorAll('.turn')].map((turn) => [
            turn.querySelector('.question-text')?.textContent,
            turn.querySelector('.answer .dcb-md')?.textContent?.split('\n')[0],
          ]);
          return found.length > 0 && found.every(([, answer]) => answer) ? found : null;
        },
        undefined,
        { what: 'the conversation to come back' },
      );
      expect(turns).toEqual([['first question', expect.stringContaining('You asked: “first question”')]]);
      await expectQuietPage(driver);
    },
  },
  {
    name: 'a strict CSP page with Trusted Types: the whole chat works without a violation',
    async run({ driver, site, mock }) {
      await driver.goto(strictCspPage(site, { mockUrl: mock.url, config: chatConfig(mock, 'csp') }));
      await openByClick(driver);
      const index = await ask(driver, 'Show me some markdown');
      await waitAnswer(driver, index, 'done');
      const drawn = await driver.evaluate((index) => {
        const answer = document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!.querySelectorAll('.turn .answer')[index]!;
        return [answer.querySelectorAll('table').length, answer.querySelectorAll('pre code').length];
      }, index);
      expect(drawn).toEqual([1, 2]);
      await expectQuietPage(driver);
      // The policy is enforced in this engine: HTML from a string is refused and reported.
      await driver.evaluate(() => {
        try {
          document.body.insertAdjacentHTML('beforeend', '<p style="color: red">from a string</p>');
        } catch {}
      });
      await waitInPage(driver, () => (window as unknown as { __violations: unknown[] }).__violations.length > 0, undefined, {
        what: 'the violation report of HTML from a string',
      });
    },
  },
  ...ENGINE_FIXES,
  // Input forms, file upload, voice input and dark mode join here as journeys once they exist.
];
