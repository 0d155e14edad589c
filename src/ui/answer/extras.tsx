/**
 * The answer extras part (src/chat/parts.ts): everything an answer can carry besides its text,
 * with its styles and strings. Loaded only when an answer needs it, so a plain chat app never
 * pays for it.
 */
import { answerEn } from '../../i18n/answer-strings.ts';
import type { Answer } from '../../state/answer.ts';
import css from '../../styles/answer.css';
import type { ViewEnv } from '../env.ts';
import { AgentSteps, agentStepFileIds } from './AgentSteps.tsx';
import { AnswerBadges } from './AnswerBadges.tsx';
import { AnswerFiles } from './AnswerFiles.tsx';
import { Citations } from './Citations.tsx';
import { WorkflowPanel } from './WorkflowPanel.tsx';

export interface ExtrasProps {
  answer: Answer;
  env: ViewEnv;
  streaming: boolean;
}

/** Above the text: how the answer came about — the workflow run and the agent's tool calls. */
function BeforeText({ answer, env, streaming }: ExtrasProps) {
  const strings = env.strings.answer ?? answerEn;
  return (
    <>
      {answer.workflow && env.showWorkflowSteps && <WorkflowPanel workflow={answer.workflow} strings={strings} ended={!streaming} />}
      <AgentSteps
        thoughts={answer.thoughts}
        files={answer.files}
        meta={env.meta}
        locale={env.locale}
        imageBase={env.imageBase}
        images={env.images}
        running={streaming}
        strings={strings}
      />
    </>
  );
}

/** Below the text: the answer's files, its sources, and notes on how it was edited or replaced. */
function AfterText({ answer, env }: ExtrasProps) {
  const strings = env.strings.answer ?? answerEn;
  return (
    <>
      <AnswerFiles
        files={answer.files}
        exclude={agentStepFileIds(answer.thoughts)}
        imageBase={env.imageBase}
        images={env.images}
        strings={strings}
      />
      <Citations resources={answer.retrieverResources} strings={strings} />
      <AnswerBadges annotation={answer.annotation} replacedReason={answer.replacedReason} strings={strings} />
    </>
  );
}

export const extras = { BeforeText, AfterText, css };
