/**
 * npm entry: `import { mountChatbot } from 'dify-chatbot-embed'`. Importing mounts nothing;
 * call `mountChatbot(config)` when you want the bubble. The chat stage is a separate chunk that
 * your bundler splits off and loads on the visitor's first sign of intent.
 */
import type { DifyChatbotConfig } from './config/types.ts';
import type { PartModules } from './chat/parts.ts';
import type { ChatModule } from './launcher/chat-contract.ts';
import type { Launcher } from './launcher/launcher.ts';
import { mount } from './mount.ts';

export function mountChatbot(config: DifyChatbotConfig, doc: Document = document): Launcher | null {
  return mount(config, { loadChat, document: doc });
}

/**
 * The chat stage as a chunk of its own; each of its parts (src/chat/part-table.ts) is a chunk too,
 * one per file in src/parts/, which the bundler finds from the pattern of the `import()`.
 */
async function loadChat(): Promise<ChatModule> {
  // Preact's options are shielded before the chat's hooks and signals load (preact-options.ts).
  (await import('./chat/preact-options.ts')).shieldPreactOptions();
  const { createChat } = await import('./chat/index.tsx');
  return {
    createChat: (context) =>
      createChat(context, {
        load: (name) => import(`./parts/${name}.ts`).then((part: { default: PartModules[typeof name] }) => part.default),
      }),
  };
}

export { readConfig, type ConfigResult } from './config/read.ts';
export type { DifyChatbotConfig, ContainerProps, ResolvedConfig } from './config/types.ts';
export type { Launcher } from './launcher/launcher.ts';
