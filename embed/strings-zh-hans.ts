/**
 * The chat's Simplified Chinese strings as a classic script (dist/strings-zh-hans-<hash>.min.js),
 * loaded by the chat only when it speaks Chinese (src/chat/parts.ts).
 */
import { zhHans } from '../src/i18n/zh-hans.ts';
import { getHandoff, VERSION } from './handoff.ts';

const handoff = getHandoff();
if (handoff && handoff.version === VERSION) handoff.define(zhHans, 'zh-Hans');
else console.error('[dify-chatbot] The Chinese strings file does not match embed.min.js; reload the page to get matching versions.');
