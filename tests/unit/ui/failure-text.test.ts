import { describe, expect, it } from 'vitest';
import type { ApiErrorKind } from '../../../src/api/errors.ts';
import { en } from '../../../src/i18n/strings.ts';
import { zhHans } from '../../../src/i18n/zh-hans.ts';
import { emptyAnswer } from '../../../src/state/answer.ts';
import type { TurnFailure } from '../../../src/state/failure.ts';
import { createTurn } from '../../../src/state/turn.ts';
import { announcementText, failureText } from '../../../src/ui/failure-text.ts';

const failure = (kind: ApiErrorKind, more: Partial<TurnFailure> = {}): TurnFailure => ({
  kind,
  serverMessage: '',
  status: undefined,
  retryable: true,
  duringAnswer: false,
  ...more,
});

describe('failureText: a failure in the visitor’s language', () => {
  it('words the same failure in whichever language is in force', () => {
    const busy = failure('busy', { status: 429 });
    expect(failureText(busy, en)).toBe(en.errors.busy);
    expect(failureText(busy, zhHans)).toBe(zhHans.errors.busy);
  });

  it('a stream cut after the server took the question is "cut off", not "offline"', () => {
    expect(failureText(failure('network', { duringAnswer: true }), en)).toBe(en.interrupted);
    expect(failureText(failure('network', { duringAnswer: true }), zhHans)).toBe(zhHans.interrupted);
    // No request got through: that is the offline message.
    expect(failureText(failure('network'), en)).toBe(en.errors.network);
  });

  it('a stream that went silent is "taking too long", during the answer too', () => {
    expect(failureText(failure('timeout', { duringAnswer: true }), en)).toBe(en.errors.timeout);
  });

  it('the server’s words follow the headline where they name what is wrong, and only when there are some', () => {
    const missing = failure('invalid-input', { serverMessage: 'topic is required', status: 400 });
    expect(failureText(missing, en)).toBe(`${en.errors['invalid-input']} topic is required`);
    // During the answer the question was sent: the answer failed (e.g. a workflow's run).
    expect(failureText({ ...missing, duringAnswer: true }, en)).toBe(`${en.answerFailed} topic is required`);
    expect(failureText(failure('model-error', { serverMessage: 'Rate limit', duringAnswer: true }), en)).toBe(
      `${en.errors['model-error']} Rate limit`,
    );
    expect(failureText(failure('model-error'), en)).toBe(en.errors['model-error']);
    expect(failureText(failure('server', { serverMessage: 'Traceback (most recent call last)' }), en)).toBe(en.errors.server);
  });

  it('a kind this version does not know (say, from an older storage entry) reads as a server problem', () => {
    expect(failureText(failure('teapot' as ApiErrorKind), en)).toBe(en.errors.server);
  });
});

describe('announcementText: what a screen reader hears', () => {
  const settled = (text: string, status: 'done' | 'stopped' = 'done') =>
    createTurn('q', null, { answer: { ...emptyAnswer(), text, status } });

  it('nothing, a refused rating, a failure', () => {
    expect(announcementText(null, en)).toBe('');
    expect(announcementText('feedback-failed', en)).toBe(en.feedbackFailed);
    expect(announcementText(createTurn('q', null, { failure: failure('unavailable') }), zhHans)).toBe(zhHans.errors.unavailable);
  });

  it('the answer as plain words: no thinking, no markdown marks, at most 300 characters', () => {
    expect(announcementText(settled('<think>hmm</think>**Tea** is _good_.\n\n- a\n- b'), en)).toBe('Tea is good . a b');
    expect(announcementText(settled('x'.repeat(400)), en)).toBe(`${'x'.repeat(300)}…`);
    expect(announcementText(settled('Once upon', 'stopped'), en)).toBe(`${en.stopped}. Once upon`);
  });
});
