import { type Era, hasRichFormInputs } from '../eras.ts';

/**
 * The review form of the human-input demo app (docs/PROTOCOL.md §2.11 and newer releases), and the
 * checks a submission passes. Pure: the registry (forms.ts) keeps the state.
 *
 * `form_content` is markdown with `{{#$output.<name>#}}` placeholders; only inputs named there are
 * rendered, so `reviewer_note` (declared, with a variable default) is deliberately absent from it.
 * 1.13.x forms know only paragraph inputs; select, file and file-list arrived in 1.15.
 */
export interface FormDefinition {
  form_content: string;
  inputs: Record<string, unknown>[];
  actions: { id: string; title: string; button_style: string }[];
  resolved_default_values: Record<string, string>;
}

export const NODE_ID = 'human_input';
export const NODE_TITLE = 'Review';

const PRIORITIES = ['low', 'normal', 'high'];
const COMMENT_DEFAULT = 'Looks good to me.';
const MAX_EXTRA_FILES = 3;

export function formDefinition(era: Era, topic: string, reviewer: string): FormDefinition {
  const rich = hasRichFormInputs(era);
  const content = [
    '### Review the draft',
    '',
    `The assistant drafted an answer about **${topic}** and needs a human to sign it off before it goes on.`,
    '',
    '**Your comment**',
    '',
    '{{#$output.comment#}}',
  ];
  const inputs: Record<string, unknown>[] = [
    { type: 'paragraph', output_variable_name: 'comment', default: { type: 'constant', selector: [], value: COMMENT_DEFAULT } },
    { type: 'paragraph', output_variable_name: 'reviewer_note', default: { type: 'variable', selector: ['sys', 'user_id'], value: '' } },
  ];
  if (rich) {
    content.push('', '**Priority**', '', '{{#$output.priority#}}', '', '**Supporting file**', '', '{{#$output.attachment#}}');
    content.push('', `**More files** (up to ${MAX_EXTRA_FILES})`, '', '{{#$output.extra_files#}}');
    inputs.push(
      { type: 'select', output_variable_name: 'priority', option_source: { type: 'constant', selector: [], value: PRIORITIES } },
      {
        type: 'file',
        output_variable_name: 'attachment',
        allowed_file_types: ['image', 'document'],
        allowed_file_extensions: [],
        allowed_file_upload_methods: ['local_file', 'remote_url'],
      },
      {
        type: 'file-list',
        output_variable_name: 'extra_files',
        allowed_file_types: ['document'],
        allowed_file_extensions: ['.pdf', '.txt', '.md'],
        allowed_file_upload_methods: ['local_file'],
        number_limits: MAX_EXTRA_FILES,
      },
    );
  }
  return {
    form_content: content.join('\n'),
    inputs,
    actions: [
      { id: 'approve', title: 'Approve', button_style: 'primary' },
      { id: 'revise', title: 'Request changes', button_style: 'default' },
    ],
    resolved_default_values: { comment: COMMENT_DEFAULT, reviewer_note: reviewer },
  };
}

/** The `{{#$output.<name>#}}` names of a form's content: the inputs a client renders. */
export function renderedInputNames(content: string): string[] {
  return [...content.matchAll(/\{\{#\$output\.([^#]+)#\}\}/g)].map((m) => m[1]!);
}

/** A file value as submitted: `{type, transfer_method, upload_file_id | url}`. */
export interface SubmittedFile {
  type: string;
  transfer_method: 'local_file' | 'remote_url';
  upload_file_id?: string;
  url?: string;
}

export interface Submission {
  actionId: string;
  actionText: string;
  values: Record<string, unknown>;
}

/**
 * Validates `{inputs, action}` against the form; returns the submission or the `invalid_form_data`
 * message. `knownUpload` tells whether an upload_file_id was uploaded for this form.
 */
export function checkSubmission(
  def: FormDefinition,
  inputs: Record<string, unknown>,
  action: string,
  knownUpload: (id: string) => string | null,
): Submission | string {
  const chosen = def.actions.find((a) => a.id === action);
  if (!chosen) return `Invalid action: ${action}`;
  const values: Record<string, unknown> = {};
  const shown = new Set(renderedInputNames(def.form_content));
  for (const input of def.inputs) {
    const name = String(input.output_variable_name);
    if (!shown.has(name)) continue;
    const value = inputs[name];
    const problem = checkValue(input, value, knownUpload);
    if (problem) return `${name}: ${problem}`;
    values[name] = value ?? null;
  }
  return { actionId: chosen.id, actionText: chosen.title, values };
}

function checkValue(input: Record<string, unknown>, value: unknown, knownUpload: (id: string) => string | null): string | null {
  switch (input.type) {
    case 'paragraph':
      return typeof value === 'string' ? null : 'a text value is required';
    case 'select': {
      const options = ((input.option_source as { value?: string[] } | undefined)?.value ?? []) as string[];
      return typeof value === 'string' && options.includes(value) ? null : `must be one of ${options.join(', ')}`;
    }
    case 'file':
      return value === undefined || value === null ? null : checkFile(value, knownUpload);
    case 'file-list': {
      if (value === undefined || value === null) return null;
      if (!Array.isArray(value)) return 'must be a list of files';
      if (value.length > Number(input.number_limits)) return `at most ${String(input.number_limits)} files`;
      for (const item of value) {
        const problem = checkFile(item, knownUpload);
        if (problem) return problem;
      }
      return null;
    }
    default:
      return null;
  }
}

function checkFile(value: unknown, knownUpload: (id: string) => string | null): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'must be a file';
  const file = value as Record<string, unknown>;
  if (file.transfer_method === 'local_file') {
    return typeof file.upload_file_id === 'string' && knownUpload(file.upload_file_id) !== null
      ? null
      : 'upload_file_id was not uploaded for this form';
  }
  if (file.transfer_method === 'remote_url') {
    return typeof file.url === 'string' && /^https?:\/\//i.test(file.url) ? null : 'url must be an http(s) URL';
  }
  return 'transfer_method must be local_file or remote_url';
}

/** The form content with each placeholder replaced by what was submitted (`rendered_content`). */
export function renderSubmission(def: FormDefinition, values: Record<string, unknown>, fileName: (f: SubmittedFile) => string): string {
  return def.form_content.replace(/\{\{#\$output\.([^#]+)#\}\}/g, (_whole, name: string) => {
    const value = values[name];
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map((f) => fileName(f as SubmittedFile)).join(', ');
    if (value && typeof value === 'object') return fileName(value as SubmittedFile);
    return '';
  });
}
