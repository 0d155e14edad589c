/**
 * Strings of the answer extras (agent steps, files, workflow panel, citations, badges). English
 * ships with the extras; another language comes in its language pack, as `Strings.answer`
 * (answer-zh-hans.ts in the Chinese pack), so the extras carry no language a visitor does not read.
 * Templates carry `{name}` placeholders, filled by {@link fill} — never with markup: the result
 * is always rendered as a text node.
 */
export interface AnswerStrings {
  /** Accessible name of the list of tool calls. */
  toolCalls: string;
  /** `{tool}`: the tool's label. */
  toolUsing: string;
  toolUsed: string;
  toolInput: string;
  toolOutput: string;
  /** Alt text of an image a tool produced; `{tool}`: the tool's label. */
  toolImageAlt: string;
  /** Accessible name of the list of files. */
  files: string;
  /** Alt text of an answer image without a file name. */
  image: string;
  /** Name of a file without a file name. */
  file: string;
  /** Visually hidden after a download link. */
  opensInNewTab: string;
  workflow: string;
  /** Accessible name of the workflow's node list. */
  workflowSteps: string;
  iteration: string;
  loop: string;
  /** `{n}`: 1-based round number. */
  round: string;
  /** `{n}`: retry count. */
  retry: string;
  /** `{s}`: seconds, already formatted. */
  seconds: string;
  status: {
    running: string;
    succeeded: string;
    failed: string;
    exception: string;
    stopped: string;
    'partial-succeeded': string;
    paused: string;
    retry: string;
    /** Any status this version does not know; `{status}`: the raw status. */
    other: string;
  };
  sources: string;
  /** `{score}`: the score with 2 decimals. */
  score: string;
  segmentOne: string;
  /** `{n}`: the number of segments. */
  segmentMany: string;
  untitledDocument: string;
  showMore: string;
  showLess: string;
  editedAnswer: string;
  /** `{name}`: the editor's name. */
  editedBy: string;
  replacedByModeration: string;
  replaced: string;
}

export const answerEn: AnswerStrings = {
  toolCalls: 'Tool calls',
  toolUsing: 'Using {tool}…',
  toolUsed: 'Used {tool}',
  toolInput: 'Input',
  toolOutput: 'Output',
  toolImageAlt: 'Image from {tool}',
  files: 'Files',
  image: 'Image',
  file: 'File',
  opensInNewTab: '(opens in a new tab)',
  workflow: 'Workflow',
  workflowSteps: 'Workflow steps',
  iteration: 'Iteration',
  loop: 'Loop',
  round: 'Round {n}',
  retry: 'Retry {n}',
  seconds: '{s} s',
  status: {
    running: 'Running',
    succeeded: 'Succeeded',
    failed: 'Failed',
    exception: 'Failed',
    stopped: 'Stopped',
    'partial-succeeded': 'Partially succeeded',
    paused: 'Paused',
    retry: 'Retrying',
    other: 'Status: {status}',
  },
  sources: 'Sources',
  score: 'score {score}',
  segmentOne: '1 segment',
  segmentMany: '{n} segments',
  untitledDocument: 'Untitled document',
  showMore: 'Show more',
  showLess: 'Show less',
  editedAnswer: 'Edited answer',
  editedBy: 'Answer edited by {name}',
  replacedByModeration: 'This answer was replaced by the moderation filter.',
  replaced: 'This answer was replaced.',
};

/** Fill `{name}` placeholders. Unknown placeholders stay as they are; values are inserted once, not re-scanned. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/** The text for a node/run status, e.g. `succeeded` → "Succeeded". */
export function statusText(strings: AnswerStrings, status: string): string {
  const known = strings.status as unknown as Record<string, string>;
  return status !== 'other' && Object.hasOwn(known, status) ? (known[status] as string) : fill(strings.status.other, { status });
}
