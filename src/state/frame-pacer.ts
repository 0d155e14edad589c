import type { Answer } from './answer.ts';
import type { ChatStore } from './store.ts';

/** Runs a callback before the next paint. */
export type NextFrame = (callback: () => void) => void;

export const defaultNextFrame: NextFrame = (callback) =>
  typeof requestAnimationFrame === 'function' ? void requestAnimationFrame(callback) : void setTimeout(callback, 16);

/**
 * Shows a streaming answer in the live turn (`key`) at the screen's pace (docs/ARCHITECTURE.md §3):
 * the first content at once, later changes at most once per frame, so the stream events between
 * two frames reach the store (and the DOM) once. Returns `show(answer)`; nothing shows once
 * `lifetime` ended or another turn is live.
 */
export function paceLiveAnswer(store: ChatStore, key: string, lifetime: AbortSignal, nextFrame: NextFrame): (answer: Answer) => void {
  let latest: Answer | null = null;
  let frameQueued = false;
  const flush = () => {
    frameQueued = false;
    if (lifetime.aborted) return;
    const live = store.live.value;
    if (latest && live?.key === key && live.answer !== latest) store.live.value = { ...live, answer: latest };
  };
  return (answer) => {
    latest = answer;
    if (store.live.value?.answer.status === 'waiting' && answer.status !== 'waiting') {
      flush();
      // Not in the frame that paints the first content, though: a re-render in its animation
      // frame callbacks would delay that paint. What arrives meanwhile shows one frame later.
      frameQueued = true;
      nextFrame(() => nextFrame(flush));
    } else if (!frameQueued) {
      frameQueued = true;
      nextFrame(flush);
    }
  };
}
