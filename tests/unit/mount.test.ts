// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Launcher } from '../../src/launcher/launcher.ts';
import { mount } from '../../src/mount.ts';

const launchers: Launcher[] = [];
afterEach(() => {
  for (const launcher of launchers.splice(0)) launcher.destroy();
  vi.restoreAllMocks();
});

/** Mounts with a chat stage that never arrives (the tests only look at the bubble). */
function mountWith(config: unknown): Launcher | null {
  const launcher = mount(config, { loadChat: () => new Promise(() => {}) });
  if (launcher) launchers.push(launcher);
  return launcher;
}

const bubbles = () => document.querySelectorAll('#dify-chatbot-bubble-button');

describe('mount (mountChatbot for npm users)', () => {
  it('mounting again while mounted says so once, and leaves the mounted widget alone', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const first = mountWith({ token: 'AbCdEf0123456789', prefetch: false });
    expect(first).not.toBeNull();
    const bubble = bubbles()[0];

    // A second config, with a problem of its own: only the "already mounted" message is said.
    expect(mountWith({ token: 'Other0123456789', prefetch: false, colour: 'red' })).toBeNull();
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatch(/^\[dify-chatbot\] Already mounted.*did nothing.*call destroy\(\) first/);
    expect(bubbles()).toHaveLength(1);
    expect(bubbles()[0]).toBe(bubble);
  });

  it('after destroy() it mounts again, without a message', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    mountWith({ token: 'AbCdEf0123456789', prefetch: false })!.destroy();
    expect(bubbles()).toHaveLength(0);
    expect(mountWith({ token: 'AbCdEf0123456789', prefetch: false })).not.toBeNull();
    expect(bubbles()).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
  });
});
