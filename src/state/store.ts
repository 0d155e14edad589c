import { signal } from '@preact/signals';
import type { ApiErrorKind } from '../api/errors.ts';
import type { AppMeta, AppParameters, Site } from '../api/types.ts';
import type { Answer } from './answer.ts';
import type { TurnFailure } from './failure.ts';

/** One question and its answer. Settled turns are plain data that never change in place. */
export interface Turn {
  /** Local key, stable for the life of the turn. */
  key: string;
  query: string;
  answer: Answer;
  /** The answer this question follows (Dify's `parent_message_id`), or null for the first. */
  parentMessageId: string | null;
  /** Set when the question could not be answered; the question stays with a Retry. */
  failure: TurnFailure | null;
  /** Why the answer ended early (an `error` event, a cut or silent stream), with a Retry. */
  streamError: TurnFailure | null;
  /**
   * Every answer this question got (regenerate adds one, as Dify's "1 / 2" siblings); `answer` is
   * the one shown and the one the next question follows. Empty until the turn settles.
   */
  variants: readonly Answer[];
}

export type BootStatus = 'idle' | 'loading' | 'ready' | 'failed';

/**
 * What a screen reader hears next, as data the view words: a turn that settled (its answer, or
 * why it has none) or a rating the server refused.
 */
export type Announcement = Turn | 'feedback-failed' | null;

/**
 * The chat's state as signals (docs/ARCHITECTURE.md §3 state/). Components read these; only the actions
 * (actions.ts and the modules it puts together) write them.
 */
export function createStore() {
  return {
    boot: signal<BootStatus>('idle'),
    bootError: signal<TurnFailure | null>(null),
    site: signal<Site | null>(null),
    parameters: signal<AppParameters | null>(null),
    meta: signal<AppMeta | null>(null),
    conversationId: signal<string | null>(null),
    /** Settled turns, oldest first. */
    turns: signal<readonly Turn[]>([]),
    /** The turn being answered right now; its answer changes with every stream event. */
    live: signal<Turn | null>(null),
    historyStatus: signal<'idle' | 'loading' | 'failed'>('idle'),
    hasOlder: signal(false),
    /** Follow-up questions offered after the last answer. */
    suggestions: signal<readonly string[]>([]),
    /** What the visitor is typing; kept across reloads. */
    draft: signal(''),
    /** One polite announcement for screen readers (a finished answer, an error), never per token. */
    announcement: signal<Announcement>(null),
    /** An automatic retry is waiting (busy or failing server): what to say and when it fires. */
    retrying: signal<{ kind: ApiErrorKind; at: number } | null>(null),
    /** The browser says it is offline. */
    offline: signal(false),
  };
}

export type ChatStore = ReturnType<typeof createStore>;
