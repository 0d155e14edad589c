import { Component } from 'preact';
import type { Strings } from '../i18n/strings.ts';
import type { Turn } from '../state/store.ts';
import { AnswerView, ErrorNote } from './AnswerView.tsx';

export interface TurnViewProps {
  turn: Turn;
  strings: Strings;
  linkBase: string;
  imageBase: string;
  avatar?: { url?: string | undefined; name?: string | undefined } | undefined;
  /** Retry is offered on the last settled turn only. */
  onRetry?: ((key: string) => void) | undefined;
}

/**
 * A question and its answer. Settled turns are plain data that never change in place, so a turn
 * re-renders only when it is given a different object (DESIGN.md §4: finished messages are data).
 */
export class TurnView extends Component<TurnViewProps> {
  override shouldComponentUpdate(next: TurnViewProps) {
    const p = this.props;
    return next.turn !== p.turn || next.onRetry !== p.onRetry || next.strings !== p.strings;
  }

  override render({ turn, strings, linkBase, imageBase, avatar, onRetry }: TurnViewProps) {
    const retry = onRetry ? () => onRetry(turn.key) : undefined;
    return (
      <li class="turn">
        <div class="question">
          <p class="sr-only">{strings.you}:</p>
          <div class="question-text">{turn.query}</div>
          {avatar?.url && <img class="avatar" src={avatar.url} alt={avatar.name ?? ''} referrerpolicy="no-referrer" />}
        </div>
        {turn.failure ? (
          <ErrorNote message={turn.failure.message} retryLabel={strings.retry} onRetry={turn.failure.retryable ? retry : undefined} />
        ) : (
          <AnswerView
            answer={turn.answer}
            streamError={turn.streamError}
            strings={strings}
            linkBase={linkBase}
            imageBase={imageBase}
            onRetry={retry}
          />
        )}
      </li>
    );
  }
}
