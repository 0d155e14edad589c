import { useState } from 'preact/hooks';
import type { Turn } from '../state/store.ts';
import type { ViewEnv } from './env.ts';

const COPIED_MS = 2000;

/**
 * Under a finished answer: copy, like / dislike (press again to clear), regenerate (last answer
 * only) and "‹ 1 / 2 ›" between a question's answers, as on Dify's own chatbot page.
 */
export function AnswerActions({ turn, env, isLast }: { turn: Turn; env: ViewEnv; isLast: boolean }) {
  const { strings, actions } = env;
  const [copied, setCopied] = useState(false);
  const { answer, variants } = turn;
  const index = variants.indexOf(answer);
  const rated = answer.feedback;
  const copy = () => {
    navigator.clipboard?.writeText(answer.text.replace(/^\s*<think>[\s\S]*?<\/think>\s*/, '')).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), COPIED_MS);
      },
      () => {},
    );
  };
  const rate = (rating: 'like' | 'dislike') => void actions.feedback(turn.key, rated === rating ? null : rating);
  return (
    <div class="answer-actions">
      {variants.length > 1 && index >= 0 && (
        <div
          class="variants"
          role="group"
          aria-label={strings.answerNofM.replace('{n}', String(index + 1)).replace('{total}', String(variants.length))}
        >
          <button
            type="button"
            class="action"
            aria-label={strings.previousAnswer}
            disabled={index === 0}
            onClick={() => actions.showVariant(turn.key, index - 1)}
          >
            ‹
          </button>
          <span aria-hidden="true">
            {index + 1} / {variants.length}
          </span>
          <button
            type="button"
            class="action"
            aria-label={strings.nextAnswer}
            disabled={index === variants.length - 1}
            onClick={() => actions.showVariant(turn.key, index + 1)}
          >
            ›
          </button>
        </div>
      )}
      {answer.text && (
        <button type="button" class="action" onClick={copy} aria-live="polite">
          {copied ? strings.copied : strings.copyAnswer}
        </button>
      )}
      {answer.messageId && (
        <>
          <button
            type="button"
            class="action"
            aria-pressed={rated === 'like'}
            aria-label={strings.like}
            title={strings.like}
            onClick={() => rate('like')}
          >
            <ThumbIcon />
          </button>
          <button
            type="button"
            class="action"
            aria-pressed={rated === 'dislike'}
            aria-label={strings.dislike}
            title={strings.dislike}
            onClick={() => rate('dislike')}
          >
            <ThumbIcon down />
          </button>
        </>
      )}
      {isLast && (
        <button type="button" class="action" onClick={() => actions.regenerate(turn.key)}>
          {strings.regenerate}
        </button>
      )}
    </div>
  );
}

function ThumbIcon({ down }: { down?: boolean }) {
  return (
    <svg
      class="icon"
      width={16}
      height={16}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      style={down ? { transform: 'rotate(180deg)' } : undefined}
    >
      <path d="M7 10v11M15 5.9 14 10h5.8a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 18.4 21H7V10l4-8a3 3 0 0 1 4 3.9Z" />
    </svg>
  );
}
