import { pydanticError } from '../errors.ts';
import { normalizeUuid } from '../uuid.ts';

/** Query-string parsing with Dify's pydantic-style `invalid_param` errors. */

export function intParam(model: string, q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw pydanticError(model, name, 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing', raw);
  }
  const n = Number(raw);
  if (n < min) throw pydanticError(model, name, `Input should be greater than or equal to ${min}`, 'greater_than_equal', raw);
  if (n > max) throw pydanticError(model, name, `Input should be less than or equal to ${max}`, 'less_than_equal', raw);
  return n;
}

/** An optional UUID parameter ('' counts as absent, like the official UI's stray `last_id=`). */
export function uuidQuery(model: string, q: URLSearchParams, name: string): string | null {
  const raw = q.get(name);
  if (raw === null || raw === '') return null;
  const id = normalizeUuid(raw);
  if (!id) throw pydanticError(model, name, 'Input should be a valid UUID', 'uuid_parsing', raw);
  return id;
}
