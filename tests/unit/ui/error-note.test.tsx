// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiErrorKind } from '../../../src/api/errors.ts';
import { en } from '../../../src/i18n/strings.ts';
import type { TurnFailure } from '../../../src/state/failure.ts';
import { ErrorNote } from '../../../src/ui/ErrorNote.tsx';

const containers: HTMLElement[] = [];
afterEach(() => {
  for (const c of containers.splice(0)) render(null, c);
});

const failure = (kind: ApiErrorKind, more: Partial<TurnFailure> = {}): TurnFailure => ({
  kind,
  serverMessage: '',
  retryable: true,
  duringAnswer: false,
  ...more,
});

function note(props: Parameters<typeof ErrorNote>[0]) {
  const c = document.createElement('div');
  containers.push(c);
  render(<ErrorNote {...props} />, c);
  return c;
}

/** Lets the signals' re-render run. */
const rendered = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ErrorNote', () => {
  it('while offline, a question that could not be sent shows only its Retry: the offline note says why, once', async () => {
    const offline = signal(true);
    const onRetry = vi.fn();
    const c = note({ strings: en, failure: failure('network'), offline, onRetry });
    expect(c.textContent).not.toContain(en.errors.network);
    expect(c.querySelector('p')).toBeNull();
    c.querySelector('button')!.click();
    expect(onRetry).toHaveBeenCalledOnce();

    // Back online, the offline note is gone: the failure says what happened.
    offline.value = false;
    await rendered();
    expect(c.querySelector('p')!.textContent).toBe(en.errors.network);
  });

  it('a cut answer says "cut off" with its Retry, offline or not', () => {
    const c = note({ strings: en, failure: failure('network', { duringAnswer: true }), offline: signal(true), onRetry: () => {} });
    expect(c.querySelector('p')!.textContent).toBe(en.interrupted);
    expect(c.querySelector('button')!.textContent).toBe(en.retry);
  });

  it('offers Retry only where it can help', () => {
    const c = note({ strings: en, failure: failure('unavailable', { retryable: false }), onRetry: () => {} });
    expect(c.textContent).toBe(en.errors.unavailable);
    expect(c.querySelector('button')).toBeNull();
    expect(note({ strings: en, message: en.extrasFailed }).querySelector('button')).toBeNull();
  });
});
