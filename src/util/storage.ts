/**
 * localStorage that never throws. Storage access throws in sandboxed iframes, with cookies
 * blocked, and when the quota is full; the widget then keeps working for this page view only.
 */
export interface SafeStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function safeStorage(getStorage: () => Storage = () => window.localStorage): SafeStorage {
  const memory = new Map<string, string>();
  const attempt = <T>(fn: (storage: Storage) => T, fallback: () => T): T => {
    try {
      return fn(getStorage());
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
