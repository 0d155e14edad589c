import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmAnswerStream } from '../../../src/chat/warm-up.ts';

afterEach(() => vi.restoreAllMocks());

describe('warm-up of the answer path', () => {
  it('streams a sample answer through the real reader and reducer, without a request', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    const answer = await warmAnswerStream();
    expect(answer).toMatchObject({ text: 'Hi', status: 'done', messageId: 'm' });
    expect(fetch).not.toHaveBeenCalled();
  });
});
