// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { forgetStored, pageMemory, safeStorage, storageKey } from '../../../src/util/storage.ts';

afterEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  pageMemory.clear();
});

describe('safeStorage', () => {
  test('writes to the storage it is given', () => {
    safeStorage(() => sessionStorage).set('k', 'v');
    expect(sessionStorage.getItem('k')).toBe('v');
    expect(localStorage.getItem('k')).toBeNull();
  });

  test('with no storage ("memory") keeps values in the map it is given and writes nothing to the page', () => {
    const memory = new Map<string, string>();
    const store = safeStorage(() => null, memory);
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(memory.get('k')).toBe('v');
    store.remove('k');
    expect(store.get('k')).toBeNull();
    expect(localStorage.length + sessionStorage.length).toBe(0);
  });

  test('storage that throws (sandboxed iframe, blocked cookies) falls back to memory', () => {
    const store = safeStorage(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
  });
});

describe('forgetStored', () => {
  const token = 'AbCdEf0123456789';
  const ours = [
    storageKey('passport', token, 'DEFAULT'),
    storageKey('passport', token, 'user:with:colons'),
    storageKey('conversation', token, 'u1'),
    storageKey('draft', token, 'u2'),
    storageKey('unanswered', token, 'DEFAULT'),
    storageKey('bubble-position', token),
  ];
  const others = [
    storageKey('draft', 'OtherToken', 'u1'),
    storageKey('passport', `${token}x`, 'DEFAULT'),
    `app:draft:${token}`,
    'the-page-own-key',
  ];

  test('removes every key of this token, for any user, from local and session storage; leaves everything else', () => {
    for (const key of [...ours, ...others]) {
      localStorage.setItem(key, '1');
      sessionStorage.setItem(key, '1');
    }
    forgetStored(token, window);
    for (const storage of [localStorage, sessionStorage]) expect(Object.keys(storage).sort()).toEqual([...others].sort());
  });

  test('empties the page memory that storage: "memory" keeps', () => {
    pageMemory.set(ours[0]!, 'jwt');
    forgetStored(token, window);
    expect(pageMemory.size).toBe(0);
  });

  test('never throws when the browser refuses storage', () => {
    const refusing = {
      get localStorage(): Storage {
        throw new DOMException('denied', 'SecurityError');
      },
    } as unknown as Window;
    expect(() => forgetStored(token, refusing)).not.toThrow();
  });
});
