import type { ChatModule } from '../src/launcher/chat-contract.ts';

/**
 * The private handshake between embed.min.js and the chat file it loads (DESIGN.md §3 two stages).
 * The launcher puts Preact here before adding the chat script; the chat file takes it (so both
 * stages render with one Preact) and hands its module back. A symbol from the global registry,
 * not a named global: nothing on the page can clash with it by accident. The version keeps a
 * cached chat file of another release from being wired to this launcher.
 */
export interface ChatHandoff {
  version: string;
  preact: unknown;
  define(module: ChatModule): void;
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
