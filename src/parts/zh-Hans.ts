/** The Simplified Chinese part (src/chat/part-table.ts): the chat's strings and the answer extras'. */
export { zhHans as default } from '../i18n/zh-hans.ts';
