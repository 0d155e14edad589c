import { Component, createElement, Fragment, isValidElement, options, render } from 'preact';
import type { ChatModule } from '../src/launcher/chat-contract.ts';
import { getHandoff, setHandoff, VERSION } from './handoff.ts';

/** Where the chat file sits: next to this script, as the site owner serves it. */
export function chatScriptUrl(embedSrc: string | null, fallbackBase: string, file: string): string {
  try {
    if (embedSrc) return new URL(file, embedSrc).href;
  } catch {
    // fall through to the configured origin
  }
  return `${fallbackBase}/${file}`;
}

/**
 * The parts of Preact the chat file uses (its own code, preact/hooks, @preact/signals and the JSX
 * runtime). build.mjs maps the chat's `preact` imports to exactly these names, so a chat that
 * needs another one fails to build instead of failing in a visitor's browser.
 */
export const SHARED_PREACT = { Component, createElement, Fragment, isValidElement, options, render };

let pending: Promise<ChatModule> | null = null;

/**
 * Loads the chat stage as a classic script (no CORS needed, unlike a module import across
 * origins), added to our own shadow root rather than the page's <head>. It carries the nonce of
 * embed.min.js for nonce-based CSPs, and goes through a Trusted Types policy where the page
 * enforces them (README: allow the policy name `dify-chatbot`).
 */
export function loadChatScript(url: string, container: ShadowRoot, nonce: string | undefined): Promise<ChatModule> {
  if (pending) return pending;
  pending = new Promise<ChatModule>((resolve, reject) => {
    const script = container.ownerDocument.createElement('script');
    let settled = false;
    const done = (error?: Error, module?: ChatModule) => {
      // `load` fires after a successful define(): it must not undo it. Evaluating the chat file
      // twice would install a second @preact/signals on the shared Preact.
      if (settled) return;
      settled = true;
      script.remove();
      if (getHandoff() === handoff) setHandoff(undefined);
      if (error || !module) {
        pending = null;
        reject(error ?? new Error(`${url} loaded but did not register the chat (a different version?)`));
      } else resolve(module);
    };
    const handoff = { version: VERSION, preact: SHARED_PREACT, define: (module: ChatModule) => done(undefined, module) };
    setHandoff(handoff);
    script.async = true;
    if (nonce) script.nonce = nonce;
    script.addEventListener('error', () => done(new Error(`${url} could not be loaded`)));
    // A script that ran without registering (wrong file, wrong version) must not hang the chat.
    script.addEventListener('load', () => queueMicrotask(() => done(new Error(`${url} did not register the chat`))));
    try {
      (script as { src: unknown }).src = trustedScriptUrl(url);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    container.append(script);
  });
  return pending;
}

type TrustedTypesLike = { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown } };
let policy: { createScriptURL(url: string): unknown } | null = null;

/** A TrustedScriptURL when the page has Trusted Types, else the plain URL. */
function trustedScriptUrl(url: string): unknown {
  const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!tt) return url;
  // The policy only ever passes through the one URL this module computed.
  policy ??= tt.createPolicy('dify-chatbot', { createScriptURL: (value) => value });
  return policy.createScriptURL(url);
}
