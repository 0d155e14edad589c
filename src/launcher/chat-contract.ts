import type { ReadonlySignal } from '@preact/signals';
import type { ResolvedConfig } from '../config/types.ts';
import type { Strings } from '../i18n/strings.ts';

/**
 * The seam between the two stages (DESIGN.md §3): the launcher (bubble, window frame, dragging)
 * ships in embed.min.js to every page view; the chat (panel, API client, markdown) is fetched
 * only when the visitor shows intent. This is everything the chat may know about the launcher.
 */
export interface ChatContext {
  config: ResolvedConfig;
  strings: Strings;
  open: ReadonlySignal<boolean>;
  expanded: ReadonlySignal<boolean>;
  isMobile: ReadonlySignal<boolean>;
  close(): void;
  toggleExpanded(): void;
  /** Names the dialog for assistive technology (the app's title once known). */
  setLabel(label: string): void;
}

export interface ChatInstance {
  /** Start what the chat needs from the network (site, parameters, history). Idempotent. */
  prepare(): void;
  /** Render the panel into the window's shadow root. */
  mount(root: ShadowRoot): void;
  /** Move focus to where the visitor will type. */
  focus(): void;
  /** Stop streams and timers and unmount. */
  destroy(): void;
}

export interface ChatModule {
  createChat(context: ChatContext): ChatInstance;
}
