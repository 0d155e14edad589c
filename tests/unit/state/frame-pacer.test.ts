import { describe, expect, it } from 'vitest';
import { A1, booted, lastTurn, lastCall, recordWrites } from './harness.ts';
import { idle, messageEndEvent, messageEvent } from './fake-api.ts';

/** The live answer's pace on screen (frame-pacer.ts). */

describe('batching', () => {
  it("shows the first content at once, then at most one live update per frame, none in the first content's frame", async () => {
    const frames: Array<() => void> = [];
    const runFrames = () => frames.splice(0).forEach((f) => f());
    const h = await booted({ nextFrame: (callback) => void frames.push(callback) });
    h.api.queueChat({ hold: true });
    const writes = recordWrites(() => h.store.live.value);
    h.actions.send('Count');
    await idle();
    expect(writes.values).toHaveLength(1); // the waiting turn
    const call = lastCall(h.api);

    call.emit(messageEvent(A1, 'w0 '));
    // waiting → streaming is not delayed by a frame.
    expect(writes.values).toHaveLength(2);
    expect(h.store.live.value!.answer).toMatchObject({ status: 'streaming', text: 'w0 ' });

    for (let i = 1; i < 50; i++) call.emit(messageEvent(A1, `w${i} `));
    expect(writes.values).toHaveLength(2);
    expect(frames.length).toBeLessThanOrEqual(1);
    runFrames(); // the frame that paints 'w0 ' has nothing else to render
    expect(writes.values).toHaveLength(2);
    expect(frames.length).toBeLessThanOrEqual(1);
    runFrames();
    expect(writes.values).toHaveLength(3);
    expect(h.store.live.value!.answer.text.split(' ').filter(Boolean)).toHaveLength(50);

    for (let i = 50; i < 100; i++) call.emit(messageEvent(A1, `w${i} `));
    expect(frames.length).toBeLessThanOrEqual(1);
    runFrames();
    expect(writes.values).toHaveLength(4);
    expect(h.store.live.value!.answer.text.split(' ').filter(Boolean)).toHaveLength(100);

    runFrames(); // nothing new: no write
    expect(writes.values).toHaveLength(4);

    call.emit(messageEndEvent(A1));
    call.finish();
    await idle();
    runFrames();
    writes.stop();
    expect(h.store.live.value).toBeNull();
    expect(lastTurn(h.store).answer.text.split(' ').filter(Boolean)).toHaveLength(100);
    expect(writes.values[writes.values.length - 1]).toBeNull();
  });
});
