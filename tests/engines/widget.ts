import { expect } from 'vitest';
import { type Driver, waitInPage } from './engines.mjs';

/**
 * What the journeys do with the widget, in any engine: reads run as script in the page (each
 * function is sent as source, so it repeats its lookups instead of sharing helpers), actions go
 * through the driver's keys and clicks, as a visitor's would.
 */

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/** The bubble's button once it is laid out, with its host's box and colour. */
export function bubbleShown(driver: Driver) {
  return waitInPage(
    driver,
    () => {
      const host = document.getElementById('dify-chatbot-bubble-button');
      const button = host?.shadowRoot?.querySelector('button');
      const r = host?.getBoundingClientRect();
      if (!host || !button || !r || r.width === 0) return null;
      return {
        box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height },
        background: getComputedStyle(host).backgroundColor,
        label: button.getAttribute('aria-label'),
        expanded: button.getAttribute('aria-expanded'),
        viewport: { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight },
      };
    },
    undefined,
    { what: 'the bubble' },
  );
}

/** Where focus is: 'bubble', 'composer', another element of the window, or 'body'. */
export function focusIn(driver: Driver) {
  return driver.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'body';
    if (active.id === 'dify-chatbot-bubble-button')
      return active.shadowRoot?.activeElement?.tagName === 'BUTTON' ? 'bubble' : 'bubble host';
    if (active.id === 'dify-chatbot-bubble-window') {
      const inner = active.shadowRoot?.activeElement;
      return inner?.tagName === 'TEXTAREA' ? 'composer' : `window ${inner?.tagName ?? 'host'}`;
    }
    return `page ${active.tagName}`;
  });
}

/** Waits until focus is at `where` (see focusIn). */
export async function waitFocus(driver: Driver, where: string) {
  const end = Date.now() + 10_000;
  let now = await focusIn(driver);
  while (now !== where && Date.now() < end) {
    await new Promise((done) => setTimeout(done, 50));
    now = await focusIn(driver);
  }
  expect(now, `focus in ${driver.engine}`).toBe(where);
}

/** Waits until the chat window is shown (laid out, not hidden), or hidden. */
export function waitWindow(driver: Driver, shown: boolean) {
  return waitInPage(
    driver,
    (shown) => {
      const host = document.getElementById('dify-chatbot-bubble-window');
      return (!!host && !host.hidden && host.getBoundingClientRect().width > 0) === shown;
    },
    shown,
    { what: `the window to be ${shown ? 'shown' : 'hidden'}` },
  );
}

/** Clicks the middle of the widget element `selector` finds in the window (or the bubble). */
export async function clickWidget(driver: Driver, selector: string, where: 'window' | 'bubble' = 'window') {
  const box = await waitInPage(
    driver,
    ({ selector, id }) => {
      const element = document.getElementById(id)?.shadowRoot?.querySelector(selector);
      const r = element?.getBoundingClientRect();
      return r && r.width > 0 ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
    },
    { selector, id: where === 'bubble' ? 'dify-chatbot-bubble-button' : 'dify-chatbot-bubble-window' },
    { what: `${selector} in the ${where}` },
  );
  await driver.click(box.x, box.y);
}

/** Opens the chat the way most visitors do, a click on the bubble, and waits for the composer. */
export async function openByClick(driver: Driver) {
  await bubbleShown(driver);
  await clickWidget(driver, 'button', 'bubble');
  await waitFocus(driver, 'composer');
}

/** Types a question into the focused composer and sends it with Enter; returns the new answer's index. */
export async function ask(driver: Driver, question: string): Promise<number> {
  const index = await driver.evaluate(
    () => document.getElementById('dify-chatbot-bubble-window')?.shadowRoot?.querySelectorAll('.turn .answer').length ?? 0,
  );
  await driver.type(question);
  await driver.press('Enter');
  return index;
}

export interface AnswerState {
  status: string;
  text: string;
}

/** Waits until answer `index` has `status` (e.g. 'done') and at least `minText` characters of text. */
export function waitAnswer(driver: Driver, index: number, status: string, minText = 0, timeoutMs = 20_000): Promise<AnswerState> {
  return waitInPage(
    driver,
    ({ index, status, minText }) => {
      const answer = document.getElementById('dify-chatbot-bubble-window')?.shadowRoot?.querySelectorAll('.turn .answer')[index];
      const text = answer?.querySelector('.dcb-md')?.textContent ?? '';
      const now = (answer as HTMLElement | undefined)?.dataset.status;
      return now === status && text.trim().length >= minText ? { status: now, text } : null;
    },
    { index, status, minText },
    { what: `answer ${index} to be ${status}`, timeoutMs },
  );
}

/** What the page recorded: uncaught errors, CSP violations, and console errors and warnings. */
export async function expectQuietPage(driver: Driver) {
  const recorded = await driver.evaluate(() => {
    const w = window as unknown as { __errors?: string[]; __violations?: unknown[]; __console?: string[] };
    return { errors: w.__errors ?? [], violations: w.__violations ?? [], console: w.__console ?? [] };
  });
  expect(recorded, `what the page recorded in ${driver.engine}`).toEqual({ errors: [], violations: [], console: [] });
}
