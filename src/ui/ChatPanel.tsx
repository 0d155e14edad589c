import { useComputed, type ReadonlySignal, type Signal } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import type { ExtrasModule, PartSlot } from '../chat/parts.ts';
import type { ResolvedConfig } from '../config/types.ts';
import type { Strings } from '../i18n/strings.ts';
import type { ChatActions } from '../state/actions.ts';
import type { TurnFailure } from '../state/failure.ts';
import type { ChatStore } from '../state/store.ts';
import { fillOpeningStatement } from '../state/welcome.ts';
import { AppIcon } from './AppIcon.tsx';
import { Composer } from './Composer.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { announcementText, failureText } from './failure-text.ts';
import { Header } from './Header.tsx';
import type { ViewEnv } from './env.ts';
import { MessageList } from './MessageList.tsx';
import { themeVariables } from './theme.ts';
import { Welcome } from './Welcome.tsx';

/** The window's layout, owned by the chat stage. */
export interface WindowLayout {
  expanded: Signal<boolean>;
  isMobile: Signal<boolean>;
}

export interface ChatPanelProps {
  config: ResolvedConfig;
  strings: ReadonlySignal<Strings>;
  locale: ReadonlySignal<string>;
  layout: WindowLayout;
  onClose(): void;
  store: ChatStore;
  actions: ChatActions;
  inputRef: { current: HTMLTextAreaElement | null };
  extras: PartSlot<ExtrasModule>;
}

const TITLE_ID = 'dcb-title';

/** The whole chat window: header, conversation, composer. Reads signals, calls actions. */
export function ChatPanel({
  config,
  strings: stringsSignal,
  locale: localeSignal,
  layout,
  onClose,
  store,
  actions,
  inputRef,
  extras,
}: ChatPanelProps) {
  const strings = stringsSignal.value;
  const locale = localeSignal.value;
  const site = store.site.value?.site;
  const parameters = store.parameters.value;
  const boot = store.boot.value;
  const busy = useComputed(() => store.live.value !== null);
  const hasConversation = useComputed(() => busy.value || store.turns.value.length > 0);
  const imageBase = new URL(config.apiBase).origin;
  const linkBase = config.baseUrl;
  const meta = store.meta.value;
  const showWorkflowSteps = site?.show_workflow_steps !== false;
  const env = useMemo<ViewEnv>(
    () => ({
      strings,
      extras,
      locale,
      linkBase,
      imageBase,
      images: config.images,
      meta,
      showWorkflowSteps,
      avatar: { url: config.userVariables.avatar_url, name: config.userVariables.name },
      actions,
      offline: store.offline,
    }),
    [meta, showWorkflowSteps, strings, locale],
  );
  // Dify hides "new conversation" while the page pins a conversation (docs/PROTOCOL.md §5.3).
  const canReset = !config.systemVariables.conversation_id && hasConversation.value;
  const unavailableFailure = useComputed(() => unavailableReason(store)).value;
  const unavailable = unavailableFailure && failureText(unavailableFailure, strings);
  /**
   * A control the visitor used can go away under the focus: Stop turns into a disabled Send when
   * the answer ends; Retry, Regenerate, "new conversation" and a chip are gone once used. The
   * focus would fall to the page's <body>: it goes to the message box instead. Checked after the
   * control is used (a click, also from the keyboard) and when it loses the focus (disabled: all
   * browsers; removed: Chromium reports it while it is still in the tree), once the render is done.
   */
  const keepFocusInside = ({ target }: Event) =>
    setTimeout(() => {
      const used = target as HTMLButtonElement;
      if (!used.isConnected || used.disabled) inputRef.current?.focus();
    });

  const welcome =
    boot === 'ready' ? (
      <Welcome
        // An object input (a json_object or file variable) never fills a placeholder in practice; String() shows the rest as Dify does.
        statement={fillOpeningStatement(
          parameters?.opening_statement ?? '',
          config.inputs as Record<string, string>,
          parameters?.user_input_form,
        )}
        questions={parameters?.suggested_questions ?? []}
        label={strings.suggestions}
        disabled={busy}
        onAsk={(question) => actions.send(question)}
      />
    ) : (
      <p class="empty" role="status">
        {strings.starting}
      </p>
    );

  return (
    // The panel only watches the clicks of its buttons (keepFocusInside); it is not a control itself.
    // biome-ignore lint/a11y/noStaticElementInteractions: delegation, see above
    // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard activation of a button is a click too
    <div class="panel" style={themeVariables(site)} onClick={keepFocusInside} onFocusOut={keepFocusInside}>
      <Header
        strings={strings}
        expanded={layout.expanded.value}
        isMobile={layout.isMobile.value}
        onClose={onClose}
        onToggleExpanded={() => (layout.expanded.value = !layout.expanded.value)}
        title={site?.title || strings.chatWindow}
        titleId={TITLE_ID}
        icon={<AppIcon site={site} imageBase={imageBase} />}
        onNewConversation={canReset ? actions.newConversation : undefined}
      />
      {boot === 'failed' && store.bootError.value ? (
        <div class="conversation">
          <ErrorNote strings={strings} failure={store.bootError.value} offline={store.offline} onRetry={actions.retryBoot} />
        </div>
      ) : (
        <MessageList store={store} env={env} titleId={TITLE_ID} welcome={welcome} />
      )}
      {store.offline.value && (
        <p class="offline-note" role="status">
          {strings.offline}
        </p>
      )}
      <Composer
        strings={strings}
        draft={store.draft.value}
        placeholder={site?.input_placeholder ?? undefined}
        busy={busy.value}
        unavailable={unavailable}
        onDraft={actions.setDraft}
        onSend={(text) => {
          if (actions.send(text)) actions.setDraft('');
        }}
        onStop={actions.stop}
        inputRef={inputRef}
      />
      <p class="sr-only" role="status" aria-live="polite">
        {announcementText(store.announcement.value, strings)}
      </p>
    </div>
  );
}

/**
 * Why the chat cannot take a question now: the boot failed for good, or the last question was
 * refused because the chat is unavailable (a disabled site). Not a question that merely failed,
 * nor one restored after a reload (that boot succeeded): those can be retried or asked anew.
 */
function unavailableReason({ boot, bootError, turns }: ChatStore): TurnFailure | undefined {
  const failed = boot.value === 'failed';
  const last = turns.value.at(-1);
  const failure = failed ? bootError.value : (last?.failure ?? last?.streamError);
  return failure && !failure.retryable && (failed || failure.kind === 'unavailable') ? failure : undefined;
}
