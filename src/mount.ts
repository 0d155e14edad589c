import { readConfig } from './config/read.ts';
import type { ResolvedConfig } from './config/types.ts';
import type { ChatModule } from './launcher/chat-contract.ts';
import { BUBBLE_ID, startLauncher, type Launcher } from './launcher/launcher.ts';

export interface MountOptions {
  /** How the chat stage arrives: a script next to embed.min.js, or `import()` for npm users. */
  loadChat(container: ShadowRoot, config: ResolvedConfig): Promise<ChatModule>;
  document?: Document;
}

/**
 * Says why a mount did nothing: the widget on the page stays as it is (a second copy of the
 * script, or `mount()` called again without `destroy()`).
 */
export function reportAlreadyMounted(): null {
  console.warn('[dify-chatbot] Already mounted, so mount() did nothing: call destroy() first.');
  return null;
}

/**
 * Validates `config`, reports each problem once on the console, and mounts the chatbot.
 * Returns null when it cannot start (missing or secret token) or is already mounted: loading
 * the script twice mounts once.
 */
export function mount(rawConfig: unknown, options: MountOptions): Launcher | null {
  const doc = options.document ?? document;
  // Before reading the config: one message, not one per problem of a config that is not used.
  if (doc.getElementById(BUBBLE_ID)) return reportAlreadyMounted();
  const { config, problems } = readConfig(rawConfig);
  const report = config ? console.warn : console.error;
  for (const problem of problems) report(`[dify-chatbot] ${problem}`);
  if (!config) return null;
  return startLauncher(config, { loadChat: options.loadChat, document: doc, prefetchWhenIdle: config.prefetch });
}
