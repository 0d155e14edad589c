/**
 * Dify's error bodies (docs/PROTOCOL.md §4.1): `{"code","message","status"}` with the HTTP status mirrored,
 * and `WWW-Authenticate: Bearer realm="api"` on every 401.
 */
export class DifyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { code: string; message: string; status: number } {
    return { code: this.code, message: this.message, status: this.status };
  }
}

/** werkzeug's default NotFound description, which Dify passes through for bare `raise NotFound()`. */
export const NOT_FOUND_MESSAGE =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';

export const unauthorized = (message: string): DifyError => new DifyError(401, 'unauthorized', message);
export const notFound = (message: string = NOT_FOUND_MESSAGE): DifyError => new DifyError(404, 'not_found', message);
export const badRequest = (message: string): DifyError => new DifyError(400, 'bad_request', message);
export const invalidParam = (message: string): DifyError => new DifyError(400, 'invalid_param', message);
export const forbidden = (code: string, message: string): DifyError => new DifyError(403, code, message);
export const methodNotAllowed = (): DifyError =>
  new DifyError(405, 'method_not_allowed', 'The method is not allowed for the requested URL.');

/** Flask's message for a missing or unparsable JSON body, as rewritten by Dify's `external_api.py`. */
export const invalidJson = (): DifyError => badRequest('Invalid JSON payload received or JSON payload is empty.');

export const conversationNotExists = (): DifyError => notFound('Conversation Not Exists.');
export const messageNotExists = (): DifyError => notFound('Message Not Exists.');
export const conversationCompleted = (): DifyError =>
  new DifyError(400, 'conversation_completed', 'The conversation has ended. Please start a new conversation.');

/** Unhandled exceptions in Dify come back with code `unknown` (docs/PROTOCOL.md §4.1). */
export const internalError = (): DifyError => new DifyError(500, 'unknown', 'Internal Server Error');

/**
 * Formats a pydantic-style validation message, the text Dify returns as `invalid_param` for a bad
 * request model (e.g. `inputs` missing). Close to pydantic v2 output, not byte-identical.
 */
export function pydanticError(model: string, field: string, problem: string, type: string, input: unknown): DifyError {
  const shown = typeof input === 'string' ? `'${input}'` : (JSON.stringify(input) ?? 'None');
  const inputType =
    input === null || input === undefined
      ? 'NoneType'
      : Array.isArray(input)
        ? 'list'
        : typeof input === 'object'
          ? 'dict'
          : typeof input === 'string'
            ? 'str'
            : typeof input === 'number'
              ? 'int'
              : 'bool';
  return invalidParam(
    `1 validation error for ${model}\n${field}\n  ${problem} [type=${type}, input_value=${shown}, input_type=${inputType}]\n    For further information visit https://errors.pydantic.dev/2.11/v/${type}`,
  );
}
