import { fill, type AnswerStrings } from '../../i18n/answer-strings.ts';
import type { Answer } from '../../state/answer.ts';
import { Svg } from '../icons.tsx';

export interface AnswerBadgesProps {
  annotation: Answer['annotation'];
  replacedReason: string | null;
  strings: AnswerStrings;
}

/**
 * Notes on where an answer came from: an annotation reply (an answer a person edited in Dify's
 * console, "Answer edited by <name>" when the server names them), and a `message_replace` (the
 * moderation filter swapped the model's text).
 */
export function AnswerBadges({ annotation, replacedReason, strings }: AnswerBadgesProps) {
  const author = annotation && typeof annotation.authorName === 'string' ? annotation.authorName.trim() : '';
  if (!annotation && !replacedReason) return null;
  return (
    <div class="dcb-badges">
      {annotation && (
        <span class="dcb-badge">
          <PenIcon />
          {author ? fill(strings.editedBy, { name: author }) : strings.editedAnswer}
        </span>
      )}
      {replacedReason && (
        <p class="dcb-replaced-note">{replacedReason === 'output_moderation' ? strings.replacedByModeration : strings.replaced}</p>
      )}
    </div>
  );
}

function PenIcon() {
  return (
    <Svg class="dcb-badge-icon" size={12}>
      <path d="M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4Z" />
    </Svg>
  );
}
