import type { Answer } from '../state/answer.ts';
import type { TurnFailure } from '../state/store.ts';
import { Markdown } from '../markdown/index.ts';
import { AgentSteps, agentStepFileIds } from './answer/AgentSteps.tsx';
import { AnswerBadges } from './answer/AnswerBadges.tsx';
import { AnswerFiles } from './answer/AnswerFiles.tsx';
import { Citations } from './answer/Citations.tsx';
import { WorkflowPanel } from './answer/WorkflowPanel.tsx';
import type { ViewEnv } from './env.ts';
import { RetryIcon } from './icons.tsx';

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
  const { strings, answerStrings } = env;
  const streaming = answer.status === 'waiting' || answer.status === 'streaming';
  const hasContent = answer.text !== '' || answer.reasoning !== '';
  const hasSteps = answer.thoughts.some((t) => t.tool);
  return (
    <div class="answer" data-status={answer.status}>
      {answer.workflow && env.showWorkflowSteps && <WorkflowPanel workflow={answer.workflow} strings={answerStrings} ended={!streaming} />}
      <AgentSteps
        thoughts={answer.thoughts}
        files={answer.files}
        meta={env.meta}
        locale={env.locale}
        imageBase={env.imageBase}
        running={streaming}
        strings={answerStrings}
      />
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
          strings={{ thinking: strings.thinking, copyCode: strings.copyCode, copied: strings.copied, table: strings.table }}
        />
      )}
      <AnswerFiles files={answer.files} exclude={agentStepFileIds(answer.thoughts)} imageBase={env.imageBase} strings={answerStrings} />
      <Citations resources={answer.retrieverResources} strings={answerStrings} />
      <AnswerBadges annotation={answer.annotation} replacedReason={answer.replacedReason} strings={answerStrings} />
      {answer.status === 'stopped' && <p class="answer-note">{strings.stopped}</p>}
      {answer.status === 'interrupted' && !streamError && <p class="answer-note">{strings.interrupted}</p>}
      {(streamError || (answer.status === 'error' && answer.error)) && (
        <ErrorNote
          message={streamError?.message ?? answer.error?.message ?? ''}
          retryLabel={strings.retry}
          onRetry={streamError?.retryable === false ? undefined : onRetry}
        />
      )}
      {footer}
    </div>
  );
}

/** A readable error inside the conversation (never an alert box), with Retry when it can help. */
export function ErrorNote({ message, retryLabel, onRetry }: { message: string; retryLabel: string; onRetry?: (() => void) | undefined }) {
  return (
    <div class="error-note">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="retry-button" onClick={onRetry}>
          <RetryIcon size={16} />
          {retryLabel}
        </button>
      )}
    </div>
  );
}
