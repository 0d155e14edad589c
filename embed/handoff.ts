import type { ChatModule, ChatSharedModules } from '../src/launcher/chat-contract.ts';

/**
 * The private handshake between embed.min.js and the chat file it loads (docs/ARCHITECTURE.md §3 two stages).
 * The launcher puts this here before adding the chat script; the chat file hands its module back
 * through it. A symbol from the global registry,
 * not a named global: nothing on the page can clash with it by accident. The version keeps a
 * cached chat file of another release from being wired to this launcher.
 *
 * The chat's parts (src/chat/parts.ts) come the same way, later: the chat calls `load` with the
 * part's file name and name, and the part's script registers with `define(module, name)`. A part
 * renders with the chat's Preact, hooks and JSX runtime, which the chat puts here as `shared` (one
 * copy of each per page).
 */
export interface ChatHandoff {
  version: string;
  /** Set by the chat file: what its parts import from the chat (build.mjs). */
  shared?: ChatSharedModules;
  /** A script registers: the chat file with its {@link ChatModule}, a part with its module and name. */
  define(module: unknown, name?: string): void;
  /** Loads one more script, `file` next to the chat file; resolves with what it registers. */
  load(file: string, name: string): Promise<unknown>;
}

export const HANDOFF_KEY: unique symbol = Symbol.for('dify-chatbot.chat-handoff') as never;

declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

type HandoffHolder = { [HANDOFF_KEY]?: ChatHandoff };

export function getHandoff(): ChatHandoff | undefined {
  return (globalThis as HandoffHolder)[HANDOFF_KEY];
}

export function setHandoff(handoff: ChatHandoff | undefined): void {
  if (handoff) Object.defineProperty(globalThis, HANDOFF_KEY, { value: handoff, configurable: true, enumerable: false });
  else delete (globalThis as HandoffHolder)[HANDOFF_KEY];
}
