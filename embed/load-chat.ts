import type { ChatModule } from '../src/launcher/chat-contract.ts';
import { getHandoff, setHandoff, VERSION, type ChatHandoff } from './handoff.ts';

/** Where the chat file sits: next to this script, as the site owner serves it. */
export function chatScriptUrl(embedSrc: string | null, fallbackBase: string, file: string): string {
  try {
    if (embedSrc) return new URL(file, embedSrc).href;
  } catch {
    // fall through to the configured origin
  }
  return `${fallbackBase}/${file}`;
}

/** Scripts that were added and have not registered yet, by the name they register with. */
const waiting = new Map<string, (value: unknown) => void>();
let chat: Promise<ChatModule> | null = null;
/** The chat file's URL (parts sit next to it), and where our scripts go: from the latest mount. */
let place: { url: string; container: ShadowRoot; nonce: string | undefined } | null = null;

const handoff: ChatHandoff = {
  version: VERSION,
  define: (value, name = 'chat') => waiting.get(name)?.(value),
  load: loadScript,
};

/**
 * Loads the chat stage as a classic script (no CORS needed, unlike a module import across
 * origins), added to our own shadow root rather than the page's <head>. It carries the nonce of
 * embed.min.js for nonce-based CSPs, and goes through a Trusted Types policy where the page
 * enforces them (README: allow the policy name `dify-chatbot`). The chat loads its own parts the
 * same way later, through `handoff.load` (embed/chat.ts).
 */
export function loadChatScript(url: string, container: ShadowRoot, nonce: string | undefined): Promise<ChatModule> {
  place = { url, container, nonce };
  chat ??= loadScript(url, 'chat') as Promise<ChatModule>;
  chat.catch(() => (chat = null));
  return chat;
}

/**
 * Adds one classic script, `file` resolved against the chat file's URL, and waits for it to
 * register under `name`. The handoff is on the global object only while a script of ours is loading.
 */
function loadScript(file: string, name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!place || waiting.has(name)) return reject(new Error(`${file} cannot be loaded now`));
    const { container, nonce } = place;
    const url = new URL(file, place.url).href;
    const script = container.ownerDocument.createElement('script');
    const done = (error: Error | null, value?: unknown) => {
      // `load` fires after a successful registration: it must not undo it (and a second chat
      // file evaluated would bring a second Preact and @preact/signals).
      if (!waiting.delete(name)) return;
      script.remove();
      if (waiting.size === 0 && getHandoff() === handoff) setHandoff(undefined);
      if (error) reject(error);
      else resolve(value);
    };
    waiting.set(name, (value) => done(null, value));
    setHandoff(handoff);
    script.async = true;
    if (nonce) script.nonce = nonce;
    script.addEventListener('error', () => done(new Error(`${url} could not be loaded`)));
    // A script that ran without registering (wrong file, wrong version) must not hang the chat.
    script.addEventListener('load', () => queueMicrotask(() => done(new Error(`${url} did not register`))));
    try {
      (script as { src: unknown }).src = trustedScriptUrl(url);
    } catch (error) {
      return done(error instanceof Error ? error : new Error(String(error)));
    }
    container.append(script);
  });
}

type TrustedTypesLike = {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
};
let policy: { createScriptURL(url: string): unknown } | null = null;

/** A TrustedScriptURL when the page has Trusted Types, else the plain URL. */
function trustedScriptUrl(url: string): unknown {
  const trustedTypes = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!trustedTypes) return url;
  // The policy only ever passes through the URLs of our own files.
  policy ??= trustedTypes.createPolicy('dify-chatbot', { createScriptURL: (value) => value });
  return policy.createScriptURL(url);
}
