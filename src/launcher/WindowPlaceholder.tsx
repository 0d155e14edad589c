import type { Strings } from '../i18n/strings.ts';
import type { LauncherState } from './state.ts';

/** What the window shows until the chat stage has loaded, or why it could not. */
export function WindowPlaceholder({ state, strings }: { state: LauncherState; strings: Strings }) {
  if (state.chatLoad.value === 'failed') {
    return (
      <p class="frame-message" role="alert">
        {strings.chatLoadFailed}
      </p>
    );
  }
  return (
    <div class="frame-message" role="status">
      <div class="spinner" aria-hidden="true" />
      {strings.loadingChat}
    </div>
  );
}
