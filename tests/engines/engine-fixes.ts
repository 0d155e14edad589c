import { expect } from 'vitest';
import { waitInPage } from './engines.mjs';
import { decodePng, pixelsIn } from './png.ts';
import { type Journey, openPage } from './journey.ts';
import { ask, openByClick, waitAnswer } from './widget.ts';

/**
 * Journeys that hold what differed between engines or host pages when the widget was tried by
 * hand: each failed in the engine (or on the page) that showed it before its fix. Part of the
 * smoke suite (smoke.ts), so every engine runs them.
 */
export const ENGINE_FIXES: Journey[] = [
  {
    // WebKit has no requestIdleCallback; its fallback used to wait 1.5 s, so a quick click waited.
    name: 'the chat file is fetched soon after the page has loaded, before any intent',
    async run(context) {
      await openPage(context, 'prefetch');
      const timing = await waitInPage(
        context.driver,
        () => {
          const chat = performance.getEntriesByType('resource').find((entry) => /\/chat-[\w-]+\.min\.js$/.test(entry.name));
          const page = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
          return chat && page && page.loadEventEnd > 0 ? { fetchedAt: chat.startTime, loadedAt: page.loadEventEnd } : null;
        },
        undefined,
        { what: 'the chat file to be prefetched' },
      );
      expect(timing.fetchedAt - timing.loadedAt).toBeLessThan(750);
    },
  },
  {
    // WebKitGTK has no system-ui: the old font list fell through to Arial there.
    name: "the chat's text is drawn in the desktop's UI font",
    async run(context) {
      const { driver } = context;
      await openPage(context, 'font');
      await openByClick(driver);
      await waitInPage(
        driver,
        () => !!document.getElementById('dify-chatbot-bubble-window')?.shadowRoot?.querySelector('.welcome-text'),
        undefined,
        {
          what: 'the welcome text',
        },
      );
      const widths = await driver.evaluate((systemFont) => {
        const text = document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!.querySelector('.welcome-text')!;
        const family = getComputedStyle(text).fontFamily;
        const width = (fontFamily: string) => {
          const probe = document.createElement('span');
          probe.textContent = 'Hamburgefonstiv 0123456789, the quick brown fox jumps over the lazy dog';
          probe.style.cssText = 'position: absolute; visibility: hidden; white-space: nowrap; font-size: 14px; font-weight: 400';
          probe.style.fontFamily = fontFamily;
          document.body.append(probe);
          const measured = probe.getBoundingClientRect().width;
          probe.remove();
          return measured;
        };
        return { family, widget: width(family), system: width(systemFont), arial: width('Arial') };
      }, driver.systemFont);
      expect(Math.abs(widths.system - widths.arial), `${driver.systemFont} can be told from Arial here`).toBeGreaterThan(5);
      expect(widths.widget, `"${widths.family}" draws as ${driver.systemFont}`).toBeCloseTo(widths.system, 0);
    },
  },
  {
    // Firefox reserves classic scrollbar space: a blank 12 px band under every wide code block.
    name: 'code wider than the chat scrolls on a thin scrollbar, with no blank band under it',
    async run(context) {
      const { driver } = context;
      await openPage(context, 'scrollbar');
      await openByClick(driver);
      const index = await ask(driver, 'Show me some markdown');
      await waitAnswer(driver, index, 'done');
      const band = await driver.evaluate(async (index) => {
        const answer = document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!.querySelectorAll('.turn .answer')[index]!;
        const pre = [...answer.querySelectorAll('pre')].find((p) => p.scrollWidth > p.clientWidth);
        if (!pre) return null;
        pre.scrollIntoView({ block: 'center' });
        await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
        const r = pre.getBoundingClientRect();
        const top = r.top + pre.clientTop + pre.clientHeight;
        return { left: r.left + pre.clientLeft, right: r.left + pre.clientLeft + pre.clientWidth, top, bottom: r.bottom - pre.clientTop };
      }, index);
      expect(band, 'a code block of the answer is wider than the chat').not.toBeNull();
      expect(band!.bottom - band!.top).toBeLessThanOrEqual(8);
      const pixels = pixelsIn(decodePng(await driver.screenshot()), band!);
      const blank = pixels.filter(([r, g, b]) => r === 255 && g === 255 && b === 255);
      expect(blank.length, `blank pixels of ${pixels.length} under the code`).toBe(0);
    },
  },
  {
    // The host's direction flowed into the chat: punctuation, header and composer came out mirrored.
    name: 'a right-to-left host page: the widget keeps its own left-to-right layout',
    async run(context) {
      const { driver } = context;
      const bubble = await openPage(context, 'rtl', true);
      expect([bubble.viewport.width - bubble.box.right, bubble.viewport.height - bubble.box.bottom]).toEqual([16, 16]);
      await openByClick(driver);
      await waitAnswer(driver, await ask(driver, 'hello there'), 'done');
      const layout = await driver.evaluate(() => {
        const root = document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!;
        const left = (selector: string) => root.querySelector(selector)!.getBoundingClientRect().left;
        const paragraph = root.querySelector('.turn .answer .dcb-md p')!;
        const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
        const texts: Text[] = [];
        while (walker.nextNode()) texts.push(walker.currentNode as Text);
        const charLeft = (text: Text, at: number) => {
          const range = document.createRange();
          range.setStart(text, at);
          range.setEnd(text, at + 1);
          return range.getBoundingClientRect().left;
        };
        const last = texts[texts.length - 1]!;
        return {
          title: left('.title') < left('.header-actions'),
          composer: left('textarea') < left('.send-button'),
          text: paragraph.textContent,
          startsAtLeft: Math.round(charLeft(texts[0]!, 0) - paragraph.getBoundingClientRect().left),
          endsAtRight: charLeft(last, last.length - 1) > charLeft(texts[0]!, 0),
        };
      });
      expect(layout).toEqual({
        title: true,
        composer: true,
        text: 'You asked: “hello there”.',
        startsAtLeft: 0,
        endsAtRight: true,
      });
    },
  },
];
