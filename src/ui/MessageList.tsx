import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatStore, Turn } from '../state/store.ts';
import type { ViewEnv } from './env.ts';
import { RetryNotice } from './RetryNotice.tsx';
import { Chips } from './Welcome.tsx';
import { TurnView } from './TurnView.tsx';

export interface MessageListProps {
  store: ChatStore;
  env: ViewEnv;
  titleId: string;
  welcome: preact.ComponentChildren;
}

/** Within this distance of the bottom, the list follows new content. */
const STICKY_PX = 48;

/**
 * The conversation. It follows the answer while it streams unless the visitor scrolled up (then a
 * "jump to latest" button appears), loads older messages at the top, and is a log whose live
 * announcements are made elsewhere, once per finished answer, so tokens are never read out.
 */
export function MessageList({ store, env, titleId, welcome }: MessageListProps) {
  const { strings, actions } = env;
  const scroller = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  const lastTop = useRef(0);
  const showJump = useSignal(false);
  const anchor = useRef<{ height: number; top: number; firstKey: string | undefined } | null>(null);
  const content = useRef<HTMLDivElement>(null);
  const turns = store.turns.value;
  // Only the live turn's own component reads every token; the list re-renders per turn.
  const liveKey = useComputed(() => store.live.value?.key ?? null).value;

  const firstKey = turns[0]?.key;
  useLayoutEffect(() => {
    const list = scroller.current;
    if (!list) return;
    if (anchor.current) {
      // Older messages were prepended (renders in between, e.g. "loading", keep the anchor):
      // keep what the visitor was looking at in place.
      if (anchor.current.firstKey === firstKey) return;
      list.scrollTop = list.scrollHeight - anchor.current.height + anchor.current.top;
      anchor.current = null;
    } else if (stuck.current) {
      list.scrollTop = list.scrollHeight;
    }
  });

  useLayoutEffect(() => {
    // A new question: the visitor wants to see it and its answer, wherever they had scrolled.
    const list = scroller.current;
    if (!liveKey || !list) return;
    stuck.current = true;
    showJump.value = false;
    list.scrollTop = list.scrollHeight;
  }, [liveKey]);

  useEffect(() => {
    // Follow growing content (tokens, images loading) while the visitor is at the bottom.
    const list = scroller.current;
    if (!list || !content.current || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stuck.current && !anchor.current) list.scrollTop = list.scrollHeight;
    });
    observer.observe(content.current);
    return () => observer.disconnect();
  }, []);

  const loadOlder = () => {
    const list = scroller.current;
    if (list) anchor.current = { height: list.scrollHeight, top: list.scrollTop, firstKey: store.turns.value[0]?.key };
    void actions.loadOlder().finally(() => {
      // Nothing was prepended (an error, or nothing older): stop holding the position.
      if (anchor.current?.firstKey === store.turns.value[0]?.key) anchor.current = null;
    });
  };

  const onScroll = () => {
    const list = scroller.current;
    if (!list) return;
    // Only the visitor scrolling up lets go of the bottom. A scroll event arrives a frame after
    // the scroll that caused it: our own scroll to the bottom, reported after more text came in,
    // shows a gap too, but not a smaller scrollTop (the list opts out of scroll anchoring).
    const up = list.scrollTop < lastTop.current;
    lastTop.current = list.scrollTop;
    if (list.scrollHeight - list.scrollTop - list.clientHeight <= STICKY_PX) stuck.current = true;
    else if (up) stuck.current = false;
    showJump.value = !stuck.current;
    if (list.scrollTop < 40 && store.hasOlder.value && store.historyStatus.value !== 'loading') loadOlder();
  };

  const jump = () => {
    const list = scroller.current;
    if (!list) return;
    stuck.current = true;
    showJump.value = false;
    list.scrollTo({ top: list.scrollHeight });
  };

  const lastKey = turns[turns.length - 1]?.key;
  return (
    <div class="conversation-wrap">
      <div class="conversation" ref={scroller} onScroll={onScroll} role="log" aria-live="off" aria-labelledby={titleId} tabIndex={0}>
        <div ref={content}>
          {store.hasOlder.value && (
            <button type="button" class="load-older" onClick={loadOlder} disabled={store.historyStatus.value === 'loading'}>
              {store.historyStatus.value === 'loading' ? strings.loadingHistory : strings.loadOlder}
            </button>
          )}
          {store.historyStatus.value === 'failed' && <p class="answer-note">{strings.historyFailed}</p>}
          {!turns.length && !liveKey && welcome}
          {/* One flat keyed list: the live slot must sit among the settled ones, not after a nested
            array, or Preact would rebuild the turn when it settles. */}
          <ol class="turns">
            {[
              ...turns.map((turn) => <TurnSlot key={turn.key} turn={turn} env={env} isLast={turn.key === lastKey && !liveKey} />),
              ...(liveKey ? [<TurnSlot key={liveKey} store={store} env={env} isLast={false} />] : []),
            ]}
          </ol>
          <RetryNotice store={store} strings={strings} />
          {!liveKey && (
            <Chips
              questions={store.suggestions.value}
              label={strings.suggestions}
              disabled={false}
              onAsk={(question) => actions.send(question)}
            />
          )}
        </div>
      </div>
      {showJump.value && (
        <button type="button" class="jump-latest" onClick={jump}>
          ↓ {strings.jumpToLatest}
        </button>
      )}
    </div>
  );
}

/**
 * One turn of the list, live or settled. The same component type under the same key for both
 * keeps the DOM when an answer settles, so what the visitor opened meanwhile (the workflow panel,
 * a tool call) stays open. Only the live slot reads `store.live`, i.e. re-renders per token.
 */
function TurnSlot({ turn, store, env, isLast }: { turn?: Turn; store?: ChatStore; env: ViewEnv; isLast: boolean }) {
  const shown = turn ?? store?.live.value;
  return shown ? <TurnView turn={shown} env={env} isLast={isLast} live={!turn} /> : null;
}
