import type { ChatContext } from '../launcher/chat-contract.ts';
import { CloseIcon, CollapseIcon, ExpandIcon, NewChatIcon } from './icons.tsx';

export interface HeaderProps {
  context: ChatContext;
  title: string;
  titleId: string;
  /** Emoji or image icon of the app, when the site has one. */
  icon?: preact.ComponentChildren;
  onNewConversation?: (() => void) | undefined;
}

/** Title bar: app icon and title, then new conversation, expand/shrink (desktop only) and close. */
export function Header({ context, title, titleId, icon, onNewConversation }: HeaderProps) {
  const { strings } = context;
  const expanded = context.expanded.value;
  return (
    <header class="header">
      {icon}
      <h2 class="title" id={titleId}>
        {title}
      </h2>
      <div class="header-actions">
        {onNewConversation && (
          <button type="button" class="icon-button" aria-label={strings.newConversation} title={strings.newConversation} onClick={onNewConversation}>
            <NewChatIcon />
          </button>
        )}
        {!context.isMobile.value && (
          <button
            type="button"
            class="icon-button"
            aria-label={expanded ? strings.collapse : strings.expand}
            title={expanded ? strings.collapse : strings.expand}
            aria-pressed={expanded}
            onClick={context.toggleExpanded}
          >
            {expanded ? <CollapseIcon /> : <ExpandIcon />}
          </button>
        )}
        <button type="button" class="icon-button" aria-label={strings.close} title={strings.close} onClick={context.close}>
          <CloseIcon />
        </button>
      </div>
    </header>
  );
}
