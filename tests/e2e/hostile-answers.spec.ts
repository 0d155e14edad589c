import type { Browser, Page } from '@playwright/test';
import { hugeAnswer } from '../../demo/server/answer-texts.ts';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

/*
 * Answers shaped to hurt a markdown renderer that runs in the host page (docs/ARCHITECTURE.md §3
 * markdown/): thousands of nested quotes, list items or emphasis delimiters, and delimiter runs
 * that made marked's scans quadratic. The mock streams each one (its `answerText` setting, in
 * small deltas), then the page reloads and the answer is rendered again from the history, then
 * the visitor closes and reopens the window. Through all of it the host page sees no error, no
 * unhandled rejection and no main-thread task over 100 ms; the answer ends with its actions, and
 * the next question is answered.
 *
 * Long tasks: the page's own `longtask` observer finds them, as a site would. Two things besides
 * the widget make them on a test machine, so the test keeps them out or tells them apart:
 * - Playwright itself: every locator check is a DevTools message that walks the page's DOM, tens
 *   of milliseconds on a big answer. While tasks are measured, the test waits in the page instead.
 * - Load: on a machine shared by many processes a task's wall time also counts the time its thread
 *   waited for a core. A Chromium trace tells what the thread spent: a long task is the widget's
 *   when the page's main thread also had a task (not DevTools') with over 100 ms of CPU time.
 */

/** Name, answer text, and a piece of it the visitor must see (the text is rendered, not dropped). */
const SHAPES: [string, string, string][] = [
  ['3,000 asterisks, x, 3,000 asterisks', `${'*'.repeat(3000)}x${'*'.repeat(3000)}`, 'x'],
  ['1,300 nested quotes', `${'> '.repeat(1300)}x`, 'x'],
  ['900 nested ordered lists', `${'1. '.repeat(900)}x`, 'x'],
  ['"_a*" 5,000 times', '_a*'.repeat(5000), 'a'],
  ['"- *" 4,000 times', '- *'.repeat(4000), '*'],
  ['"*x *x " 2,000 times', '*x *x '.repeat(2000), 'x'],
];

/** The longest main-thread task allowed while an answer streams or renders. */
const LONG_TASK_MS = 100;

const lastAnswer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  // 37 characters a delta: no multiple of the shapes' periods, so prefixes end mid-pattern too, as a model's tokens would.
  await mockControl(mock).settings({ tokenDelayMs: 2, answerChunkChars: 37 });
});

test.afterEach(async ({ mock }) => {
  // The mock belongs to the worker: later tests get ordinary answers again.
  await mockControl(mock).settings({ answerText: '', answerChunkChars: 0, tokenDelayMs: 4 });
});

interface Watch {
  errors: string[];
  longTasks: { start: number; duration: number }[];
}

/** A main-thread task of the page's renderer: its wall time and the CPU time the thread spent in it. */
interface Task {
  wallMs: number;
  cpuMs: number;
}

/**
 * From before any page script: the page's `window.onerror` and `unhandledrejection` (as a site
 * would see the widget's failures), uncaught errors as Playwright sees them, and every long task.
 */
async function watchHostPage(page: Page) {
  const uncaught: string[] = [];
  page.on('pageerror', (e) => uncaught.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    const watch: Watch = { errors: [], longTasks: [] };
    (window as unknown as { __watch: Watch }).__watch = watch;
    window.onerror = (message) => void watch.errors.push(`onerror: ${String(message)}`);
    window.addEventListener('unhandledrejection', (e) => watch.errors.push(`unhandledrejection: ${String(e.reason?.message ?? e.reason)}`));
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) watch.longTasks.push({ start: task.startTime, duration: task.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const watch = () => page.evaluate(() => (window as unknown as { __watch: Watch }).__watch);
  const host = {
    async expectNoErrors(what: string) {
      expect([...(await watch()).errors, ...uncaught], `errors on the host page ${what}`).toEqual([]);
    },
    /** Runs `steps` and checks that the page saw no error and the widget no long task meanwhile. */
    async measure(browser: Browser, what: string, steps: () => Promise<void>) {
      const since = await page.evaluate(() => performance.now());
      const tasks = await traced(browser, page, steps);
      await host.expectNoErrors(what);
      const observed = (await watch()).longTasks.filter((t) => t.start >= since && t.duration > LONG_TASK_MS);
      const busy = tasks.filter((t) => t.cpuMs > LONG_TASK_MS);
      const report = { observedMs: observed.map((t) => Math.round(t.duration)), busyCpuMs: busy.map((t) => Math.round(t.cpuMs)) };
      expect(observed.length && busy.length ? report : null, `main-thread tasks over ${LONG_TASK_MS} ms ${what}`).toBeNull();
    },
  };
  return host;
}

/** Runs `steps` under a Chromium trace; returns the tasks of the renderers' main threads, but DevTools' own. */
async function traced(browser: Browser, page: Page, steps: () => Promise<void>): Promise<Task[]> {
  await browser.startTracing(page, { categories: ['toplevel'] });
  let trace: Buffer;
  try {
    await steps();
  } finally {
    trace = await browser.stopTracing();
  }
  type Event = {
    ph: string;
    name: string;
    pid: number;
    tid: number;
    ts: number;
    dur?: number;
    tdur?: number;
    args?: { name?: string; chrome_mojo_event_info?: { mojo_interface_tag?: string } };
  };
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: Event[] }).traceEvents;
  const thread = (e: Event) => `${e.pid}:${e.tid}`;
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(thread));
  const devtools = events.filter((e) => /DevTools/.test(e.args?.chrome_mojo_event_info?.mojo_interface_tag ?? ''));
  return events
    .filter((e) => e.ph === 'X' && /RunTask$/.test(e.name) && mains.has(thread(e)))
    .filter((task) => !devtools.some((e) => thread(e) === thread(task) && e.ts >= task.ts && e.ts <= task.ts + (task.dur ?? 0)))
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 }));
}

/**
 * Waits in the page, without a DevTools round trip per check, until the last answer is done and
 * offers Copy and rating, and then until nothing in the chat window has changed for 400 ms (the
 * last render pass is in).
 */
function finalInPage(page: Page) {
  return page.evaluate(
    ({ quietFor, timeout }) =>
      new Promise<void>((done, fail) => {
        const root = document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!;
        const final = () => {
          const answer = [...root.querySelectorAll('.turn .answer')].at(-1);
          const buttons = [...(answer?.querySelectorAll('button') ?? [])];
          return (
            answer?.getAttribute('data-status') === 'done' &&
            buttons.some((b) => b.textContent === 'Copy answer') &&
            buttons.some((b) => b.getAttribute('aria-label') === 'Good answer')
          );
        };
        let last = performance.now();
        const observer = new MutationObserver(() => (last = performance.now()));
        observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
        const started = performance.now();
        const check = () => {
          if (final() && performance.now() - last >= quietFor) return (observer.disconnect(), done());
          if (performance.now() - started > timeout)
            return (observer.disconnect(), fail(new Error('the answer did not reach its final state')));
          setTimeout(check, 50);
        };
        check();
      }),
    { quietFor: 400, timeout: 30_000 },
  );
}

/** The finished answer as the visitor sees it (checked outside measured steps: locators walk the DOM). */
async function expectFinal(page: Page, visible: string) {
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByRole('button', { name: 'Copy answer' })).toBeVisible();
  await expect(answer.getByRole('button', { name: 'Good answer' })).toBeVisible();
  // A long answer is laid out over several render passes (a few thousand elements each): on a busy
  // machine the last pass may come well after the answer is done.
  await expect(answer.locator('.dcb-md')).toContainText(visible, { timeout: 45_000 });
}

async function ask(page: Page, question: string) {
  await widget.composer(page).fill(question);
  await widget.composer(page).press('Enter');
}

/** Opens a host page as a new visitor and the chat, once the page (and the prefetched chat file) is quiet. */
async function openChat(page: Page, openHostPage: (o: { config: unknown }) => Promise<void>, mockUrl: string) {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mockUrl, systemVariables: { user_id: uniqueUser('hostile') } } });
  await page.waitForLoadState('networkidle');
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeVisible();
}

/** Reload; the chat file comes in when the page is idle, then the visitor opens the chat. */
async function reloadAndOpen(page: Page) {
  await page.reload();
  await page.waitForLoadState('networkidle');
  await widget.bubble(page).click();
  await finalInPage(page);
}

/** The visitor closes the chat window (Escape) and opens it again from the bubble (Enter), by keyboard. */
async function closeAndReopen(page: Page) {
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.activeElement?.id === 'dify-chatbot-bubble-button');
  await page.keyboard.press('Enter');
  await finalInPage(page);
}

for (const [name, text, visible] of SHAPES) {
  test(`hostile answer: ${name} — streamed, reloaded, reopened: no error, no long task, final state, next question answered`, async ({
    page,
    browser,
    openHostPage,
    mock,
  }) => {
    const host = await watchHostPage(page);
    await openChat(page, openHostPage, mock.url);
    await mockControl(mock).settings({ answerText: text });

    await host.measure(browser, 'while the answer streamed', async () => {
      await ask(page, 'Tell me something hostile');
      await finalInPage(page);
    });
    await expectFinal(page, visible);

    await host.measure(browser, 'rendering it from the history after a reload', () => reloadAndOpen(page));
    await expectFinal(page, visible);

    await host.measure(browser, 'closing and reopening the window', () => closeAndReopen(page));
    await expectFinal(page, visible);

    await mockControl(mock).settings({ answerText: '' });
    await host.measure(browser, 'answering the next question', async () => {
      await ask(page, 'And now something friendly');
      await finalInPage(page);
    });
    await expectFinal(page, 'You asked: “And now something friendly”');
  });
}

test('a 100 KB answer of ordinary markdown (sections, lists, tables, code): streamed, reloaded and reopened with no long task', async ({
  page,
  browser,
  openHostPage,
  mock,
}) => {
  const text = `${hugeAnswer()}\n\n${hugeAnswer()}`;
  expect(text.length).toBeGreaterThan(100_000);
  const tables = text.match(/\| Metric \|/g)!.length;
  const lastCodeLine = [...text.matchAll(/```\w+\n(.+)/g)].at(-1)![1]!;
  const host = await watchHostPage(page);
  await openChat(page, openHostPage, mock.url);
  await mockControl(mock).settings({ answerText: text, answerChunkChars: 200 });

  await host.measure(browser, 'while the answer streamed', async () => {
    await ask(page, 'Tell me everything');
    await finalInPage(page);
  });
  // All of it as markdown: every section's table, the last code block.
  await expectFinal(page, lastCodeLine);
  await expect(lastAnswer(page).locator('table')).toHaveCount(tables);
  await expect(lastAnswer(page).locator('pre code').last()).toContainText(lastCodeLine);

  await host.measure(browser, 'rendering it from the history after a reload', () => reloadAndOpen(page));
  await expectFinal(page, lastCodeLine);
  await expect(lastAnswer(page).locator('table')).toHaveCount(tables);

  await host.measure(browser, 'closing and reopening the window', () => closeAndReopen(page));
  await expectFinal(page, lastCodeLine);
});

test('a 5 MB answer of short lines: at most 30,000 nodes and 50 MB of heap, streamed and reloaded, and the chat goes on', async ({
  page,
  openHostPage,
  mock,
}) => {
  test.setTimeout(90_000);
  const lines = Array.from({ length: 160_000 }, (_, i) => `Line ${i} of a very long answer.`);
  const text = lines.join('\n');
  expect(text.length).toBeGreaterThan(5_000_000);
  const host = await watchHostPage(page);
  const cdp = await page.context().newCDPSession(page);
  /** DOM nodes in the chat window, and the page's JS heap after a full GC. */
  const cost = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const nodes = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!);
      let count = 0;
      while (walker.nextNode()) count++;
      return count;
    });
    return { nodes, heapMB: usedSize / 2 ** 20 };
  };

  await openChat(page, openHostPage, mock.url);
  await mockControl(mock).settings({ answerText: text, answerChunkChars: 65_536 });
  await ask(page, 'Everything, please');
  await finalInPage(page);
  await expectFinal(page, lines[0]!); // the plain-text tail is laid out as it scrolls into view
  const streamed = await cost();
  expect(streamed.nodes).toBeLessThanOrEqual(30_000);
  expect(streamed.heapMB).toBeLessThanOrEqual(50);

  await reloadAndOpen(page);
  await expectFinal(page, lines[0]!); // the plain-text tail is laid out as it scrolls into view
  const reloaded = await cost();
  expect(reloaded.nodes).toBeLessThanOrEqual(30_000);
  expect(reloaded.heapMB).toBeLessThanOrEqual(50);

  await mockControl(mock).settings({ answerText: '', answerChunkChars: 0 });
  await ask(page, 'Thanks');
  await finalInPage(page);
  await expectFinal(page, 'You asked: “Thanks”');
  // Long tasks are judged up to 100 KB answers; errors always.
  await host.expectNoErrors('with a 5 MB answer');
  console.log(`5 MB answer: streamed ${JSON.stringify(streamed)}, reloaded ${JSON.stringify(reloaded)}`);
});
