/**
 * What a part's classic script (dist/<file>-<hash>.min.js, one per row of src/chat/part-table.ts)
 * runs: it hands its module to the chat that loaded it. build.mjs makes each part's entry from
 * this and `src/parts/<name>.ts`. Preact, its hooks and the JSX runtime are the chat's (build.mjs).
 */
import { getHandoff, VERSION } from './handoff.ts';

export function registerPart(module: unknown, name: string): void {
  const handoff = getHandoff();
  if (handoff && handoff.version === VERSION) handoff.define(module, name);
  else console.error(`[dify-chatbot] The chat's "${name}" file does not match embed.min.js; reload the page to get matching versions.`);
}
