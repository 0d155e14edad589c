import type { Answer } from '../state/answer.ts';
import type { TurnFailure } from '../state/failure.ts';
import { Markdown } from '../markdown/index.ts';
import type { ViewEnv } from './env.ts';
import { ErrorNote } from './ErrorNote.tsx';

export interface AnswerViewProps {
  answer: Answer;
  streamError: TurnFailure | null;
  env: ViewEnv;
  onRetry?: (() => void) | undefined;
  /** Copy, feedback, regenerate: shown under a settled answer. */
  footer?: preact.ComponentChildren;
}

/**
 * One answer: workflow steps, tool calls, the markdown body (with a typing indicator until the
 * first token), files, sources, and how it ended.
 */
export function AnswerView({ answer, streamError, env, onRetry, footer }: AnswerViewProps) {
  const { strings } = env;
  const streaming = answer.status === 'waiting' || answer.status === 'streaming';
  const hasContent = answer.text !== '' || answer.reasoning !== '';
  const hasSteps = answer.thoughts.some((thought) => thought.tool);
  // Reading the signal subscribes this answer: it re-renders when the part arrives.
  const wantsExtras = needsExtras(answer, env.showWorkflowSteps);
  const extras = wantsExtras ? env.extras.module.value : null;
  if (wantsExtras && !extras) env.extras.want();
  return (
    <div class="answer" data-status={answer.status}>
      {extras && <extras.BeforeText answer={answer} env={env} streaming={streaming} />}
      {streaming && !hasContent && !hasSteps && (
        <span class="typing" role="status" aria-label={strings.typing}>
          <span />
          <span />
          <span />
        </span>
      )}
      {hasContent && (
        <Markdown
          text={answer.text}
          reasoning={answer.reasoning}
          streaming={streaming}
          linkBase={env.linkBase}
          imageBase={env.imageBase}
          images={env.images}
          strings={{ thinking: strings.thinking, copyCode: strings.copyCode, copied: strings.copied, table: strings.table }}
        />
      )}
      {extras && <extras.AfterText answer={answer} env={env} streaming={streaming} />}
      {wantsExtras && !extras && env.extras.failed.value && (
        <ErrorNote strings={strings} message={strings.extrasFailed} onRetry={env.extras.retry} />
      )}
      {answer.status === 'stopped' && <p class="answer-note">{strings.stopped}</p>}
      {answer.status === 'interrupted' && !streamError && <p class="answer-note">{strings.interrupted}</p>}
      {streamError ? (
        // A cut stream says "cut off" here (failure-text.ts), whatever the connection's error was.
        <ErrorNote strings={strings} failure={streamError} offline={env.offline} onRetry={onRetry} />
      ) : (
        answer.status === 'error' && answer.error && <ErrorNote strings={strings} message={answer.error.message} onRetry={onRetry} />
      )}
      {footer}
    </div>
  );
}

/**
 * Whether the answer carries anything only the extras part shows (src/ui/answer/extras.tsx): a
 * workflow run, tool calls, files, sources, an annotation or a moderation note.
 */
export function needsExtras(answer: Answer, showWorkflowSteps: boolean): boolean {
  return (
    (answer.workflow !== null && showWorkflowSteps) ||
    answer.thoughts.some((thought) => typeof thought.tool === 'string' && thought.tool.trim() !== '') ||
    answer.files.length > 0 ||
    answer.retrieverResources.length > 0 ||
    answer.annotation !== null ||
    answer.replacedReason !== null
  );
}
