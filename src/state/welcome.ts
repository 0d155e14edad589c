import type { AppParameters } from '../api/types.ts';

/**
 * The opening statement with `{{variable}}` placeholders filled from the configured inputs, as
 * Dify's page does; a placeholder without a value shows the variable's label (or its name).
 */
export function fillOpeningStatement(
  statement: string,
  inputs: Record<string, string | number | boolean>,
  form: AppParameters['user_input_form'] | undefined,
): string {
  const labels = new Map<string, string>();
  for (const entry of form ?? []) {
    const field = Object.values(entry as Record<string, { variable?: string; label?: string }>)[0];
    if (field?.variable) labels.set(field.variable, field.label || field.variable);
  }
  return statement.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_match, name: string) => {
    const value = inputs[name];
    if (value !== undefined && value !== '') return String(value);
    return labels.get(name) ?? name;
  });
}
