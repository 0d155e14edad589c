// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { md } from './render-helpers';

const SRC = '```py\nprint("<hi>")\n\nx = 1\n```';

function setClipboard(value: unknown) {
  Object.defineProperty(navigator, 'clipboard', { value, configurable: true });
}

describe('code block Copy button', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('is a real button labelled "Copy code" that copies the raw code and says "Copied" for 2 s', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    setClipboard({ writeText });
    const root = md(SRC);
    const button = root.querySelector('button')!;
    expect(button.type).toBe('button');
    expect(button.textContent).toBe('Copy code');
    expect(root.querySelector('.dcb-md-lang')!.textContent).toBe('py');
    button.click();
    expect(writeText).toHaveBeenCalledWith('print("<hi>")\n\nx = 1');
    await vi.advanceTimersByTimeAsync(0);
    expect(button.textContent).toBe('Copied');
    await vi.advanceTimersByTimeAsync(1999);
    expect(button.textContent).toBe('Copied');
    await vi.advanceTimersByTimeAsync(1);
    expect(button.textContent).toBe('Copy code');
  });

  test('a rejected write fails quietly', async () => {
    setClipboard({ writeText: () => Promise.reject(new Error('denied')) });
    const button = md(SRC).querySelector('button')!;
    button.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(button.textContent).toBe('Copy code');
  });

  test('a missing Clipboard API fails quietly', async () => {
    setClipboard(undefined);
    const button = md(SRC).querySelector('button')!;
    expect(() => button.click()).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(button.textContent).toBe('Copy code');
  });

  test('uses the localised strings', () => {
    const root = md(SRC, { strings: { thinking: 'T', copyCode: 'Kopieren', copied: 'Kopiert', table: 'Tabelle' } });
    expect(root.querySelector('button')!.textContent).toBe('Kopieren');
  });
});
