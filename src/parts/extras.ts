/** The answer extras part (src/chat/part-table.ts): agent steps, workflow, files, sources, badges. */
export { extras as default } from '../ui/answer/extras.tsx';
