import { describe, expect, it, vi } from 'vitest';
import { createPartSlot } from '../../../src/chat/parts.ts';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createPartSlot: a part of the chat that loads when first wanted', () => {
  it('loads once however often the views ask, and tells the chat before the views see it', async () => {
    const order: string[] = [];
    const load = vi.fn(async () => 'module');
    const slot = createPartSlot(load, () => order.push(`loaded while module=${String(slot.module.peek())}`));
    slot.want();
    slot.want();
    expect(slot.module.value).toBeNull();
    await flush();
    slot.want();
    expect(load).toHaveBeenCalledTimes(1);
    expect(slot.module.value).toBe('module');
    // Styles go in first, so the part never renders unstyled.
    expect(order).toEqual(['loaded while module=null']);
  });

  it('a failed load is reported, not repeated by rendering, and loads again on retry', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let fail = true;
    const load = vi.fn(async () => {
      if (fail) throw new Error('offline');
      return 'module';
    });
    const slot = createPartSlot(load, () => {});
    slot.want();
    await flush();
    expect(slot.failed.value).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('[dify-chatbot]'), expect.any(Error));
    slot.want();
    expect(load).toHaveBeenCalledTimes(1);

    fail = false;
    slot.retry();
    expect(slot.failed.value).toBe(false);
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    expect(slot.module.value).toBe('module');
    warn.mockRestore();
  });
});
