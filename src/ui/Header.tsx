import type { Strings } from '../i18n/strings.ts';
import { CloseIcon, CollapseIcon, ExpandIcon, NewChatIcon } from './icons.tsx';

export interface HeaderProps {
  strings: Strings;
  expanded: boolean;
  isMobile: boolean;
  onClose(): void;
  onToggleExpanded(): void;
  title: string;
  titleId: string;
  /** Emoji or image icon of the app, when the site has one. */
  icon?: preact.ComponentChildren;
  onNewConversation?: (() => void) | undefined;
}

/** Title bar: app icon and title, then new conversation, expand/shrink (desktop only) and close. */
export function Header({ strings, expanded, isMobile, onClose, onToggleExpanded, title, titleId, icon, onNewConversation }: HeaderProps) {
  return (
    <header class="header">
      {icon}
      <h2 class="title" id={titleId}>
        {title}
      </h2>
      <div class="header-actions">
        {onNewConversation && (
          <button
            type="button"
            class="icon-button"
            aria-label={strings.newConversation}
            title={strings.newConversation}
            onClick={onNewConversation}
          >
            <NewChatIcon />
          </button>
        )}
        {!isMobile && (
          <button
            type="button"
            class="icon-button"
            aria-label={expanded ? strings.collapse : strings.expand}
            title={expanded ? strings.collapse : strings.expand}
            aria-pressed={expanded}
            onClick={onToggleExpanded}
          >
            {expanded ? <CollapseIcon /> : <ExpandIcon />}
          </button>
        )}
        <button type="button" class="icon-button" aria-label={strings.close} title={strings.close} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
    </header>
  );
}
