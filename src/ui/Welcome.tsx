import type { ReadonlySignal } from '@preact/signals';

export interface WelcomeProps {
  statement: string;
  questions: readonly string[];
  label: string;
  disabled: ReadonlySignal<boolean>;
  onAsk(question: string): void;
}

/** The opening statement and the suggested questions; a chip asks its question. */
export function Welcome({ statement, questions, label, disabled, onAsk }: WelcomeProps) {
  return (
    <div class="welcome">
      {statement && <p class="welcome-text">{statement}</p>}
      <Chips questions={questions} label={label} disabled={disabled.value} onAsk={onAsk} />
    </div>
  );
}

export function Chips({
  questions,
  label,
  disabled,
  onAsk,
}: {
  questions: readonly string[];
  label: string;
  disabled: boolean;
  onAsk(question: string): void;
}) {
  if (!questions.length) return null;
  return (
    <ul class="chips" aria-label={label}>
      {questions.map((question) => (
        <li key={question}>
          <button type="button" class="chip" disabled={disabled} onClick={() => onAsk(question)}>
            {question}
          </button>
        </li>
      ))}
    </ul>
  );
}
