import type { Browser, Page } from '@playwright/test';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

/*
 * Answers shaped to hurt a markdown renderer that runs in the host page (docs/ARCHITECTURE.md §3
 * markdown/): thousands of nested quotes, list items or emphasis delimiters, and delimiter runs
 * that made marked's scans quadratic. The mock streams each one (its `answerText` setting, in
 * small deltas), then the page reloads and the answer is rendered again from the history. Through
 * all of it the host page sees no error, no unhandled rejection and no main-thread task over
 * 100 ms; the answer ends with its actions, and the next question is answered.
 *
 * Long tasks: the page's own `longtask` observer finds them, as a site would. On a machine shared
 * by many processes a task's wall time also counts the time its thread waited for a core, so a
 * Chromium trace tells what the thread spent on it: a long task is the widget's when the trace has
 * a task of the page's main thread with over 100 ms of CPU time too.
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
    /** The page's clock now: long tasks are judged from a moment on. */
    now: () => page.evaluate(() => performance.now()),
    async expectNoErrors(what: string) {
      expect([...(await watch()).errors, ...uncaught], `errors on the host page ${what}`).toEqual([]);
    },
    async expectClean(since: number, tasks: Task[], what: string) {
      await host.expectNoErrors(what);
      const observed = (await watch()).longTasks.filter((t) => t.start >= since && t.duration > LONG_TASK_MS);
      const busy = tasks.filter((t) => t.cpuMs > LONG_TASK_MS);
      const report = { observedMs: observed.map((t) => Math.round(t.duration)), busyCpuMs: busy.map((t) => Math.round(t.cpuMs)) };
      expect(observed.length && busy.length ? report : null, `main-thread tasks over ${LONG_TASK_MS} ms ${what}`).toBeNull();
    },
  };
  return host;
}

/** A main-thread task of the page's renderer: its wall time and the CPU time the thread spent in it. */
interface Task {
  wallMs: number;
  cpuMs: number;
}

/** Runs `steps` under a Chromium trace (category `toplevel`) and returns the tasks of the renderers' main threads. */
async function traced(browser: Browser, page: Page, steps: () => Promise<void>): Promise<Task[]> {
  await browser.startTracing(page, { categories: ['toplevel'] });
  let trace: Buffer;
  try {
    await steps();
  } finally {
    trace = await browser.stopTracing();
  }
  type TraceEvent = { ph: string; name: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } };
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  return events
    .filter((e) => e.ph === 'X' && /RunTask$/.test(e.name) && mains.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 }));
}

/** Resolves once nothing in the chat window has changed for `ms` (the last render pass is done). */
function settled(page: Page, ms = 400) {
  return page.evaluate(
    (quietFor) =>
      new Promise<void>((done) => {
        const root = document.getElementById('dify-chatbot-bubble-window')!.shadowRoot!;
        let last = performance.now();
        const observer = new MutationObserver(() => (last = performance.now()));
        observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
        const check = () => (performance.now() - last >= quietFor ? (observer.disconnect(), done()) : setTimeout(check, 50));
        setTimeout(check, quietFor);
      }),
    ms,
  );
}

/** The answer is finished and offers its actions. */
async function expectFinal(page: Page) {
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await expect(answer.getByRole('button', { name: 'Copy answer' })).toBeVisible();
  await expect(answer.getByRole('button', { name: 'Good answer' })).toBeVisible();
  await settled(page);
}

async function ask(page: Page, question: string) {
  await widget.composer(page).fill(question);
  await widget.composer(page).press('Enter');
}

/** After a reload: the chat file is in (fetched when the page went idle), then the visitor opens the chat. */
async function reopen(page: Page) {
  await page.reload();
  await page.waitForLoadState('networkidle');
}

for (const [name, text, visible] of SHAPES) {
  test(`hostile answer: ${name} — streamed, reloaded, no error, no long task, final state, next question answered`, async ({
    page,
    browser,
    openHostPage,
    mock,
  }) => {
    const host = await watchHostPage(page);
    await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser('hostile') } } });
    await page.waitForLoadState('networkidle');
    await widget.bubble(page).click();
    await expect(widget.composer(page)).toBeVisible();
    await mockControl(mock).settings({ answerText: text });

    let since = await host.now();
    let tasks = await traced(browser, page, async () => {
      await ask(page, 'Tell me something hostile');
      await expectFinal(page);
    });
    // Rendered, not dropped: the visitor sees the answer's characters.
    await expect(lastAnswer(page).locator('.dcb-md')).toContainText(visible);
    await host.expectClean(since, tasks, 'while the answer streamed');

    await reopen(page);
    since = await host.now();
    tasks = await traced(browser, page, async () => {
      await widget.bubble(page).click();
      await expectFinal(page);
    });
    await expect(lastAnswer(page).locator('.dcb-md')).toContainText(visible);
    await host.expectClean(since, tasks, 'rendering it from the history after a reload');

    await mockControl(mock).settings({ answerText: '' });
    since = await host.now();
    tasks = await traced(browser, page, async () => {
      await ask(page, 'And now something friendly');
      await expect(lastAnswer(page)).toContainText('You asked: “And now something friendly”', { timeout: 15_000 });
      await expectFinal(page);
    });
    await host.expectClean(since, tasks, 'answering the next question');
  });
}

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

  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, systemVariables: { user_id: uniqueUser('huge') } } });
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeVisible();
  await mockControl(mock).settings({ answerText: text, answerChunkChars: 65_536 });
  await ask(page, 'Everything, please');
  await expectFinal(page);
  await expect(lastAnswer(page)).toContainText(lines.at(-1)!, { timeout: 20_000 });
  const streamed = await cost();
  expect(streamed.nodes).toBeLessThanOrEqual(30_000);
  expect(streamed.heapMB).toBeLessThanOrEqual(50);

  await reopen(page);
  await widget.bubble(page).click();
  await expectFinal(page);
  await expect(lastAnswer(page)).toContainText(lines.at(-1)!, { timeout: 20_000 });
  const reloaded = await cost();
  expect(reloaded.nodes).toBeLessThanOrEqual(30_000);
  expect(reloaded.heapMB).toBeLessThanOrEqual(50);

  await mockControl(mock).settings({ answerText: '', answerChunkChars: 0 });
  await ask(page, 'Thanks');
  await expect(lastAnswer(page)).toContainText('You asked: “Thanks”', { timeout: 15_000 });
  // Long tasks are judged up to 100 KB answers; errors always.
  await host.expectNoErrors('with a 5 MB answer');
  console.log(`5 MB answer: streamed ${JSON.stringify(streamed)}, reloaded ${JSON.stringify(reloaded)}`);
});
