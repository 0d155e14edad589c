/**
 * The answer extras part as a classic script (dist/answer-extras-<hash>.min.js), loaded by the
 * chat only when an answer carries agent steps, a workflow, files, sources or badges
 * (src/chat/parts.ts). Preact, its hooks and the JSX runtime are the chat's (build.mjs).
 */
import { extras } from '../src/ui/answer/extras.tsx';
import { getHandoff, VERSION } from './handoff.ts';

const handoff = getHandoff();
if (handoff && handoff.version === VERSION) handoff.define(extras, 'extras');
else console.error('[dify-chatbot] The answer extras file does not match embed.min.js; reload the page to get matching versions.');
