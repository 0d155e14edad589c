/**
 * The chat stage as a classic script (dist/chat.min.js): registers the chat with the launcher
 * that loaded it. Preact comes from the launcher (build.mjs maps `preact` to the handoff), so
 * both stages share one copy.
 */
// A named import, not `import * as`: esbuild builds a namespace with a for…in loop that breaks on
// pages whose scripts added enumerable properties to Object.prototype.
import { createChat } from '../src/chat/index.tsx';
import { getHandoff, VERSION } from './handoff.ts';

const handoff = getHandoff();
if (handoff && handoff.version === VERSION) handoff.define({ createChat });
else console.error('[dify-chatbot] The chat file does not match embed.min.js; reload the page to get matching versions.');
