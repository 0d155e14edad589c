import { signal } from '@preact/signals';
import type { BubblePosition } from './position.ts';

/** Where the chat module is in its lazy life: not fetched, fetching, ready, or failed to load. */
export type ChatLoadState = 'idle' | 'loading' | 'ready' | 'failed';

/** The launcher's own state; the chat module receives the parts it needs through its context. */
export function createLauncherState() {
  return {
    open: signal(false),
    expanded: signal(false),
    dragging: signal(false),
    /** null = Dify's default placement from CSS (bottom-right, or the page's variables). */
    position: signal<BubblePosition | null>(null),
    chatLoad: signal<ChatLoadState>('idle'),
    isMobile: signal(false),
  };
}

export type LauncherState = ReturnType<typeof createLauncherState>;
