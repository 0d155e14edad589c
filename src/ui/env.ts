import type { ReadonlySignal } from '@preact/signals';
import type { AppMeta } from '../api/types.ts';
import type { ExtrasModule, PartSlot } from '../chat/parts.ts';
import type { ImagePolicy } from '../config/types.ts';
import type { Strings } from '../i18n/strings.ts';
import type { ChatActions } from '../state/actions.ts';

/**
 * What every message needs besides its own data, as one object: turns re-render only when their
 * turn or this object changes (it changes when the site's data arrives, not per token).
 */
export interface ViewEnv {
  strings: Strings;
  /** Agent steps, workflow, files, sources, badges: loaded when an answer first needs them. */
  extras: PartSlot<ExtrasModule>;
  locale: string;
  /** Relative links in answers resolve against the app's base URL. */
  linkBase: string;
  /** Relative images resolve against the API origin, where Dify signs file URLs. */
  imageBase: string;
  /** The `images` option: which answer images load by themselves. */
  images: ImagePolicy;
  meta: AppMeta | null;
  showWorkflowSteps: boolean;
  avatar: { url?: string | undefined; name?: string | undefined };
  actions: ChatActions;
  /** The browser is offline (a signal: only the notes that depend on it re-render). */
  offline: ReadonlySignal<boolean>;
}
