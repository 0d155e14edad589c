/**
 * The chat stage as a classic script (dist/chat-<hash>.min.js): registers the chat with the
 * launcher that loaded it. It carries Preact: the launcher draws its bubble without it. The chat's
 * parts (src/chat/parts.ts) are files next to this one, loaded through the same handoff when a
 * conversation first needs them.
 */
import './preact-shield.ts';
// Named imports, not `import * as`: esbuild builds a namespace with a for…in loop that breaks on
// pages whose scripts added enumerable properties to Object.prototype.
import { useId, useMemo, useState } from 'preact/hooks';
import { Fragment, jsx, jsxs } from 'preact/jsx-runtime';
import { createChat } from '../src/chat/index.tsx';
import type { PartName } from '../src/chat/part-table.ts';
import type { PartModules } from '../src/chat/parts.ts';
import type { ChatModule } from '../src/launcher/chat-contract.ts';
import { getHandoff, VERSION } from './handoff.ts';

/** The file of each part, by its name in src/chat/part-table.ts (build.mjs). */
declare const __CHAT_PARTS__: Readonly<Record<PartName, string>>;

const handoff = getHandoff();
if (handoff && handoff.version === VERSION) {
  // = SHARED_CHAT_MODULES in build.mjs
  handoff.shared = {
    'preact/hooks': { useId, useMemo, useState },
    'preact/jsx-runtime': { Fragment, jsx, jsxs },
  };
  const module: ChatModule = {
    createChat: (context) =>
      createChat(context, {
        // The part's script registers its module under its name (embed/part.ts).
        load: (name) => handoff.load(__CHAT_PARTS__[name], name) as Promise<PartModules[typeof name]>,
      }),
  };
  handoff.define(module);
} else console.error('[dify-chatbot] The chat file does not match embed.min.js; reload the page to get matching versions.');
