/**
 * Parts of the chat that load only when a conversation needs them, as listed in part-table.ts:
 * the answer extras (src/ui/answer/extras.tsx), which a plain chat app never downloads, and the
 * strings of each language besides English (src/i18n/zh-hans.ts). The embed loads a part as a
 * script next to the chat file (embed/chat.ts), npm users through `import()` (src/index.ts).
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { Strings } from '../i18n/strings.ts';
import type { extras } from '../ui/answer/extras.tsx';
import type { LocalePack, PartName } from './part-table.ts';

export type ExtrasModule = typeof extras;

/** What each part brings: a language pack its strings, the extras their components. */
export type PartModules = { extras: ExtrasModule } & Record<LocalePack, Strings>;

/** How the chat gets its parts; given by whoever created it. */
export interface ChatParts {
  load<Name extends PartName>(name: Name): Promise<PartModules[Name]>;
}

/** One part as the views see it: a signal that fills in when the part arrives. */
export interface PartSlot<T> {
  readonly module: ReadonlySignal<T | null>;
  /** The last load failed; `want()` does not try again by itself, `retry()` does. */
  readonly failed: ReadonlySignal<boolean>;
  /** Starts loading unless it is loading, loaded or failed. Safe to call while rendering. */
  want(): void;
  /** Loads again after a failure (the visitor's Retry). */
  retry(): void;
}

export function createPartSlot<T>(load: () => Promise<T>, onLoaded: (module: T) => void): PartSlot<T> {
  const module = signal<T | null>(null);
  const failed = signal(false);
  let loading = false;
  const start = () => {
    loading = true;
    // Signals change only when the promise settles, never inside the render that asked.
    load().then(
      (loaded) => {
        onLoaded(loaded);
        module.value = loaded;
      },
      (error: unknown) => {
        loading = false;
        console.warn('[dify-chatbot] Part of the chat could not be loaded:', error);
        failed.value = true;
      },
    );
  };
  return {
    module,
    failed,
    want() {
      if (!loading && !failed.peek()) start();
    },
    retry() {
      if (loading) return;
      failed.value = false;
      start();
    },
  };
}
