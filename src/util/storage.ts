/**
 * Web storage that never throws. Storage access throws in sandboxed iframes, with cookies
 * blocked, and when the quota is full; the widget then keeps working for this page view only.
 */
export interface SafeStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/**
 * What the widget keeps for the page's life only: everything, with `storage: 'memory'`, and
 * whatever the browser's storage refuses. One per page, so it outlives `destroy()` and a second
 * `mount()`, as stored data would, until `forget()`.
 */
export const pageMemory = new Map<string, string>();

/** `getStorage` returning null (or throwing) keeps values in `memory` instead. */
export function safeStorage(
  getStorage: () => Storage | null = () => window.localStorage,
  memory: Map<string, string> = new Map(),
): SafeStorage {
  const attempt = <T>(fn: (storage: Storage) => T, fallback: () => T): T => {
    try {
      return fn(getStorage() as Storage);
    } catch {
      return fallback();
    }
  };
  return {
    get: (key) =>
      attempt(
        (s) => s.getItem(key),
        () => memory.get(key) ?? null,
      ),
    set: (key, value) =>
      attempt(
        (s) => s.setItem(key, value),
        () => void memory.set(key, value),
      ),
    remove: (key) =>
      attempt(
        (s) => s.removeItem(key),
        () => void memory.delete(key),
      ),
  };
}

/** Storage keys are namespaced so the host page's own keys are never touched. */
export function storageKey(...parts: string[]): string {
  return ['dify-chatbot', ...parts].join(':');
}

/**
 * Removes every key the widget wrote for `token`, whoever the visitor was: `dify-chatbot:<what>:<token>…`
 * (README "What the widget stores") from localStorage and sessionStorage, whatever `storage`
 * option wrote them, and everything in `pageMemory` (one widget per page). For a site's log-out
 * on a shared computer.
 */
export function forgetStored(token: string, win: Window): void {
  pageMemory.clear();
  try {
    for (const storage of [win.localStorage, win.sessionStorage]) {
      for (const key of Object.keys(storage)) if (key.startsWith('dify-chatbot:') && key.split(':')[2] === token) storage.removeItem(key);
    }
  } catch {
    // Storage the browser refuses (both go together) holds nothing of ours.
  }
}
