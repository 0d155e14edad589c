/**
 * npm entry: `import { mountChatbot } from 'dify-chatbot-embed'`. Importing mounts nothing;
 * call `mountChatbot(config)` when you want the bubble.
 */
export { mountChatbot } from './mount.ts';
export { readConfig, type ConfigResult } from './config/read.ts';
export type { DifyChatbotConfig, ContainerProps, ResolvedConfig } from './config/types.ts';
export type { Launcher } from './launcher/launcher.tsx';
