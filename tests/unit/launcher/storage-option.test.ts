// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { readConfig } from '../../../src/config/read.ts';
import type { ChatContext } from '../../../src/launcher/chat-contract.ts';
import { startLauncher, type Launcher } from '../../../src/launcher/launcher.ts';
import { pageMemory } from '../../../src/util/storage.ts';

const TOKEN = 'AbCdEf0123456789';
const POSITION_KEY = `dify-chatbot:bubble-position:${TOKEN}`;
let launcher: Launcher | null = null;

afterEach(() => {
  launcher?.destroy();
  launcher = null;
  localStorage.clear();
  sessionStorage.clear();
  pageMemory.clear();
});

/** Starts the launcher with `storage`; the chat is a stub that hands back the context it was lent. */
async function start(extra: Record<string, unknown>) {
  const config = readConfig({ token: TOKEN, draggable: true, prefetch: false, ...extra }).config!;
  let context: ChatContext | null = null;
  launcher = startLauncher(config, {
    loadChat: async () => ({
      createChat: (lent) => {
        context = lent;
        return { prepare() {}, show: () => document.createElement('div'), hide() {}, destroy() {} };
      },
    }),
  });
  const button = document.querySelector('#dify-chatbot-bubble-button')!.shadowRoot!.querySelector('button')!;
  // An arrow key moves the bubble and stores where it ended, as a drag does.
  button.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
  launcher.open();
  await expect.poll(() => context).not.toBeNull();
  return context as unknown as ChatContext;
}

const keys = () => [...Object.keys(localStorage), ...Object.keys(sessionStorage)];

describe('the storage option', () => {
  test('"local" (the default) keeps the bubble position and what the chat stores in localStorage', async () => {
    const context = await start({});
    context.storage.set(`dify-chatbot:draft:${TOKEN}:DEFAULT`, 'half a question');
    expect(Object.keys(localStorage).sort()).toEqual([POSITION_KEY, `dify-chatbot:draft:${TOKEN}:DEFAULT`].sort());
    expect(sessionStorage.length).toBe(0);
  });

  test('"session" keeps them in sessionStorage only', async () => {
    const context = await start({ storage: 'session' });
    context.storage.set(`dify-chatbot:draft:${TOKEN}:DEFAULT`, 'half a question');
    expect(Object.keys(sessionStorage).sort()).toEqual([POSITION_KEY, `dify-chatbot:draft:${TOKEN}:DEFAULT`].sort());
    expect(localStorage.length).toBe(0);
  });

  test('"memory" writes nothing to the page\'s storage, yet keeps values for the page\'s life, across destroy and mount', async () => {
    const context = await start({ storage: 'memory' });
    context.storage.set(`dify-chatbot:passport:${TOKEN}:DEFAULT`, 'jwt');
    expect(keys()).toEqual([]);
    launcher!.destroy();
    const again = await start({ storage: 'memory' });
    expect(again.storage.get(`dify-chatbot:passport:${TOKEN}:DEFAULT`)).toBe('jwt');
    expect(again.storage.get(POSITION_KEY)).not.toBeNull();
    expect(keys()).toEqual([]);
  });
});

describe('forget()', () => {
  test('destroys the widget and removes every key of its token, from both storages and memory', async () => {
    localStorage.setItem(`dify-chatbot:draft:${TOKEN}:another-user`, 'x');
    sessionStorage.setItem(`dify-chatbot:conversation:${TOKEN}:u1`, 'c1');
    localStorage.setItem('the-page-own-key', 'kept');
    const context = await start({});
    context.storage.set(`dify-chatbot:passport:${TOKEN}:DEFAULT`, 'jwt');
    launcher!.forget();
    expect(document.querySelector('#dify-chatbot-bubble-button')).toBeNull();
    expect(keys()).toEqual(['the-page-own-key']);
  });

  test('a write that arrives after it (a passport minted late) is dropped', async () => {
    const context = await start({ storage: 'memory' });
    launcher!.forget();
    context.storage.set(`dify-chatbot:passport:${TOKEN}:DEFAULT`, 'late jwt');
    expect(context.storage.get(`dify-chatbot:passport:${TOKEN}:DEFAULT`)).toBeNull();
    expect(pageMemory.size).toBe(0);
  });
});
