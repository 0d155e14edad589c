import { readConfig } from './config/read.ts';
import { BUBBLE_ID, startLauncher, type Launcher } from './launcher/launcher.tsx';

/**
 * Validates `config`, reports each problem once on the console, and mounts the chatbot.
 * Returns null when it cannot start (missing or secret token) or is already mounted: loading
 * the script twice mounts once.
 */
export function mountChatbot(rawConfig: unknown, doc: Document = document): Launcher | null {
  const { config, problems } = readConfig(rawConfig);
  const report = config ? console.warn : console.error;
  for (const problem of problems) report(`[dify-chatbot] ${problem}`);
  if (!config) return null;
  if (doc.getElementById(BUBBLE_ID)) {
    console.warn('[dify-chatbot] The chatbot is already on this page; the second copy of the script does nothing.');
    return null;
  }
  // Dynamic import: the chat stage is a separate chunk for npm users, and is loaded lazily.
  return startLauncher(config, { loadChat: () => import('./chat/index.tsx'), document: doc });
}
