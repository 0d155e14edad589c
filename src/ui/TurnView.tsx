import { Component } from 'preact';
import type { Turn } from '../state/store.ts';
import { AnswerActions } from './AnswerActions.tsx';
import { AnswerView } from './AnswerView.tsx';
import type { ViewEnv } from './env.ts';
import { ErrorNote } from './ErrorNote.tsx';

export interface TurnViewProps {
  turn: Turn;
  env: ViewEnv;
  /** The last settled turn: it offers Retry and Regenerate. */
  isLast: boolean;
  /** The turn being answered right now (no actions yet). */
  live?: boolean;
}

/**
 * A question and its answer. Settled turns are plain data that never change in place, so a turn
 * re-renders only when it is given a different object (docs/ARCHITECTURE.md §4: finished messages are data).
 */
export class TurnView extends Component<TurnViewProps> {
  override shouldComponentUpdate(next: TurnViewProps) {
    const current = this.props;
    return next.turn !== current.turn || next.env !== current.env || next.isLast !== current.isLast || next.live !== current.live;
  }

  override render({ turn, env, isLast, live }: TurnViewProps) {
    const { strings, avatar, actions } = env;
    const retry = isLast && !live ? () => actions.retry(turn.key) : undefined;
    // Copy, rate and regenerate a finished answer; a failed one offers Retry instead.
    const status = turn.answer.status;
    const settled = !live && !turn.failure && !turn.streamError && status !== 'waiting' && status !== 'streaming' && status !== 'error';
    return (
      <li class="turn">
        <div class="question">
          <p class="sr-only">{strings.you}:</p>
          <div class="question-text">{turn.query}</div>
          {avatar.url && <img class="avatar" src={avatar.url} alt={avatar.name ?? ''} referrerpolicy="no-referrer" />}
        </div>
        {turn.failure ? (
          <ErrorNote strings={strings} failure={turn.failure} offline={env.offline} onRetry={retry} />
        ) : (
          <AnswerView
            answer={turn.answer}
            streamError={turn.streamError}
            env={env}
            onRetry={retry}
            footer={settled ? <AnswerActions turn={turn} env={env} isLast={isLast} /> : null}
          />
        )}
      </li>
    );
  }
}
