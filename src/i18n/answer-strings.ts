/**
 * Strings of the answer extras (agent steps, files, workflow panel, citations, badges).
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

export const answerZhHans: AnswerStrings = {
  toolCalls: '工具调用',
  toolUsing: '正在使用 {tool}…',
  toolUsed: '已使用 {tool}',
  toolInput: '输入',
  toolOutput: '输出',
  toolImageAlt: '来自 {tool} 的图片',
  files: '文件',
  image: '图片',
  file: '文件',
  opensInNewTab: '（在新标签页中打开）',
  workflow: '工作流',
  workflowSteps: '工作流步骤',
  iteration: '迭代',
  loop: '循环',
  round: '第 {n} 轮',
  retry: '第 {n} 次重试',
  seconds: '{s} 秒',
  status: {
    running: '运行中',
    succeeded: '成功',
    failed: '失败',
    exception: '失败',
    stopped: '已停止',
    'partial-succeeded': '部分成功',
    paused: '已暂停',
    retry: '重试中',
    other: '状态：{status}',
  },
  sources: '引用来源',
  score: '得分 {score}',
  segmentOne: '1 个片段',
  segmentMany: '{n} 个片段',
  untitledDocument: '未命名文档',
  showMore: '展开',
  showLess: '收起',
  editedAnswer: '已编辑的回答',
  editedBy: '回答已由 {name} 编辑',
  replacedByModeration: '此回答已被内容审核替换。',
  replaced: '此回答已被替换。',
};

const LOCALES: Record<string, AnswerStrings> = { en: answerEn, 'zh-hans': answerZhHans, 'zh-cn': answerZhHans, zh: answerZhHans };

/** Strings for a locale such as `zh-Hans` or `en-US`; falls back to the language, then English (as `stringsFor`). */
export function answerStrings(locale: string | undefined): AnswerStrings {
  if (!locale) return answerEn;
  const lower = locale.toLowerCase().replace(/_/g, '-');
  return LOCALES[lower] ?? LOCALES[lower.split('-')[0] ?? ''] ?? answerEn;
}

/** Fill `{name}` placeholders. Unknown placeholders stay as they are; values are inserted once, not re-scanned. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/** The text for a node/run status, e.g. `succeeded` → "Succeeded". */
export function statusText(strings: AnswerStrings, status: string): string {
  const known = strings.status as unknown as Record<string, string>;
  return status !== 'other' && Object.hasOwn(known, status) ? (known[status] as string) : fill(strings.status.other, { status });
}
