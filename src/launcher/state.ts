import type { BubblePosition } from './position.ts';

/** Where the chat module is in its lazy life: not fetched, fetching, ready, or failed to load. */
export type ChatLoadState = 'idle' | 'loading' | 'ready' | 'failed';

export interface LauncherSnapshot {
  open: boolean;
  dragging: boolean;
  /** null = Dify's default placement from CSS (bottom-right, or the page's variables). */
  position: BubblePosition | null;
  chatLoad: ChatLoadState;
}

export type LauncherListener = (next: LauncherSnapshot, previous: LauncherSnapshot) => void;

/**
 * The launcher's state: a plain snapshot and listeners. Deliberately not signals: the launcher
 * ships to every page view (embed.min.js), and this keeps @preact/signals in the chat stage only.
 */
export function createLauncherState() {
  let snapshot: LauncherSnapshot = { open: false, dragging: false, position: null, chatLoad: 'idle' };
  const listeners = new Set<LauncherListener>();
  return {
    get: () => snapshot,
    set(patch: Partial<LauncherSnapshot>) {
      const previous = snapshot;
      snapshot = { ...snapshot, ...patch };
      listeners.forEach((listener) => listener(snapshot, previous));
    },
    subscribe(listener: LauncherListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type LauncherState = ReturnType<typeof createLauncherState>;
