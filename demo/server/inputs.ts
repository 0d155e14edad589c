import { formVariables, type App } from './apps.ts';
import { invalidParam } from './errors.ts';

/** Python's repr of a list of strings, as it appears in Dify's select error message. */
function pyList(values: readonly string[]): string {
  return `[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

const EMPTY = (v: unknown): boolean => v === undefined || v === null || v === '';

/**
 * `_validate_inputs` of Dify's base_app_generator (docs/PROTOCOL.md §2.2): each failure is a ValueError,
 * i.e. 400 `invalid_param`. Unknown keys are dropped; declared but missing optional ones become "".
 */
export function validateInputs(app: App, inputs: Record<string, unknown>): Record<string, unknown> {
  const cleaned: Record<string, unknown> = {};
  for (const v of formVariables(app)) {
    const name = v.variable;
    let value = inputs[name];
    if (EMPTY(value)) {
      if (v.required && v.type !== 'checkbox') throw invalidParam(`${name} is required in input form`);
      cleaned[name] = v.type === 'checkbox' ? false : '';
      continue;
    }
    switch (v.type) {
      case 'text-input':
      case 'paragraph':
      case 'select':
        if (typeof value !== 'string') throw invalidParam(`(type '${v.type}') ${name} in input form must be a string`);
        if (v.type === 'select' && Array.isArray(v.options) && !v.options.includes(value)) {
          throw invalidParam(`${name} in input form must be one of the following: ${pyList(v.options)}`);
        }
        if (v.type !== 'select' && typeof v.max_length === 'number' && [...value].length > v.max_length) {
          throw invalidParam(`${name} in input form must be less than ${v.max_length} characters`);
        }
        value = value.replace(/\x00/g, '');
        break;
      case 'number': {
        const n = typeof value === 'string' ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isFinite(n) || (typeof value === 'string' && value.trim() === '')) {
          throw invalidParam(`${name} in input form must be a valid number`);
        }
        value = n;
        break;
      }
      case 'checkbox':
        if (typeof value === 'string') {
          const s = value.toLowerCase();
          if (['true', '1', 'yes', 'on'].includes(s)) value = true;
          else if (['false', '0', 'no', 'off'].includes(s)) value = false;
        }
        if (typeof value !== 'boolean') throw invalidParam(`${name} in input form must be a boolean`);
        break;
      case 'json_object':
        if (typeof value !== 'object' || Array.isArray(value)) throw invalidParam(`${name} in input form must be a dict`);
        break;
      case 'file':
        if (typeof value !== 'object' || Array.isArray(value)) throw invalidParam(`${name} in input form must be a file`);
        break;
      case 'file-list':
        if (!Array.isArray(value)) throw invalidParam(`${name} in input form must be a list of files`);
        break;
      default:
        break;
    }
    cleaned[name] = value;
  }
  return cleaned;
}

/** Substitutes `{{var}}` in the opening statement with given inputs; unknown ones stay as written. */
export function renderIntroduction(template: unknown, inputs: Record<string, unknown>): string {
  if (typeof template !== 'string') return '';
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, key: string) => {
    const value = inputs[key];
    return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : whole;
  });
}
