import { useSignal } from '@preact/signals';
import type { ChatContext } from '../launcher/chat-contract.ts';
import { Composer } from './Composer.tsx';
import { Header } from './Header.tsx';

export function ChatPanel({ context, inputRef }: { context: ChatContext; inputRef: { current: HTMLTextAreaElement | null } }) {
  const draft = useSignal('');
  const { strings } = context;
  return (
    <>
      <Header context={context} title={strings.chatWindow} titleId="dcb-title" />
      <div class="conversation" role="log" aria-labelledby="dcb-title">
        <p class="empty">{strings.emptyConversation}</p>
      </div>
      <Composer
        strings={strings}
        draft={draft.value}
        busy={false}
        onDraft={(text) => (draft.value = text)}
        onSend={() => {}}
        onStop={() => {}}
        inputRef={inputRef}
      />
    </>
  );
}
