import { type Era, hasRichFormInputs } from '../eras.ts';
import { NODE_ID, NODE_TITLE } from './definition.ts';
import type { FormRecord } from './forms.ts';

/**
 * The shapes a form takes on the wire (docs/PROTOCOL.md §2.11 and newer releases): the
 * `human_input_required` and `human_input_form_filled` event data, GET /api/form/human_input/<token>,
 * and the history item's `extra_contents` entry. Pure.
 */
export function requiredData(form: FormRecord): Record<string, unknown> {
  const def = form.definition;
  return {
    form_id: form.formId,
    node_id: NODE_ID,
    node_title: NODE_TITLE,
    form_content: def.form_content,
    inputs: def.inputs,
    actions: def.actions,
    display_in_ui: true,
    form_token: form.formToken,
    resolved_default_values: def.resolved_default_values,
    expiration_time: form.expirationTime,
  };
}

/** `human_input_form_filled.data`; `submitted_data` exists since 1.15. */
export function filledData(form: FormRecord, era: Era): Record<string, unknown> {
  const submission = form.submission;
  const data: Record<string, unknown> = {
    node_id: NODE_ID,
    node_title: NODE_TITLE,
    rendered_content: submission?.renderedContent ?? '',
    action_id: submission?.actionId ?? '',
    action_text: submission?.actionText ?? '',
  };
  if (hasRichFormInputs(era)) data.submitted_data = submission?.values ?? null;
  return data;
}

export function timeoutData(form: FormRecord): Record<string, unknown> {
  return { node_id: NODE_ID, node_title: NODE_TITLE, expiration_time: form.expirationTime };
}

/** GET /api/form/human_input/<token>: the definition under Dify's form-API names, plus the site. */
export function formResponse(form: FormRecord, site: Record<string, unknown>): Record<string, unknown> {
  const def = form.definition;
  return {
    form_content: def.form_content,
    inputs: def.inputs,
    resolved_default_values: def.resolved_default_values,
    user_actions: def.actions,
    expiration_time: form.expirationTime,
    site,
  };
}

/**
 * History's `extra_contents` entry (Dify drops None fields): an open form keeps its token, which is
 * how a client tells a paused answer it can still resume.
 */
export function extraContent(form: FormRecord, era: Era): Record<string, unknown> {
  const def = form.definition;
  const item: Record<string, unknown> = {
    type: 'human_input',
    workflow_run_id: form.workflowRunId,
    submitted: form.state === 'submitted',
    form_definition: {
      form_id: form.formId,
      node_id: NODE_ID,
      node_title: NODE_TITLE,
      form_content: def.form_content,
      inputs: def.inputs,
      actions: def.actions,
      display_in_ui: true,
      ...(form.state === 'waiting' ? { form_token: form.formToken } : {}),
      resolved_default_values: def.resolved_default_values,
      expiration_time: form.expirationTime,
    },
  };
  if (form.submission) item.form_submission_data = filledData(form, era);
  return item;
}
