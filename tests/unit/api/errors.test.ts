import { describe, expect, it } from 'vitest';
import {
  ApiError,
  apiErrorFromHttp,
  isApiError,
  isAutoRetryable,
  isRetryable,
  toApiError,
  type ApiErrorKind,
} from '../../../src/api/errors.ts';

const body = (status: number, code: string, message: string) => ({
  status,
  contentType: 'application/json',
  bodyText: JSON.stringify({ code, message, status }),
});

describe('apiErrorFromHttp: every code of docs/PROTOCOL.md §4.2', () => {
  const table: Array<[number, string, string, ApiErrorKind, string?]> = [
    [401, 'unauthorized', 'Token has expired.', 'unauthorized'],
    [401, 'unauthorized', 'X-App-Code header is missing.', 'unauthorized', '/passport'],
    [401, 'web_sso_auth_required', 'Web app authentication required.', 'sign-in-required'],
    [401, 'web_app_access_denied', 'SSO settings have been updated. Please re-login.', 'no-access'],
    [400, 'bad_request', 'Site URL is no longer valid.', 'unavailable'],
    [400, 'bad_request', 'Site is disabled.', 'unavailable'],
    [404, 'not_found', 'Not Found', 'unavailable', '/passport'],
    [404, 'not_found', 'Conversation Not Exists.', 'conversation-gone'],
    [404, 'not_found', 'Message Not Exists.', 'not-found'],
    [404, 'not_found', 'First Message Not Exists.', 'not-found'],
    [404, 'not_found', 'Last Conversation Not Exists.', 'not-found'],
    [404, 'not_found', 'App not found', 'unavailable'],
    [403, 'forbidden', 'Forbidden', 'unavailable'],
    [400, 'app_unavailable', 'App unavailable, please check your app configurations.', 'unavailable'],
    [400, 'not_chat_app', 'App mode is not in supported list.', 'unavailable'],
    [400, 'not_completion_app', 'Not Completion App', 'unavailable'],
    [400, 'not_workflow_app', 'Only support workflow app.', 'unavailable'],
    [400, 'conversation_completed', 'The conversation has ended. Please start a new conversation.', 'conversation-gone'],
    [400, 'provider_not_initialize', 'No valid model provider credentials found.', 'not-configured'],
    [400, 'provider_quota_exceeded', 'Your quota for Dify Hosted Model Provider has been exhausted.', 'not-configured'],
    [400, 'model_currently_not_support', 'Dify Hosted OpenAI trial currently not support the GPT-4 model.', 'not-configured'],
    [400, 'completion_request_error', '[openai] Rate Limit Error', 'model-error'],
    [400, 'invalid_param', '`city` is required in input form', 'invalid-input'],
    [400, 'invalid_param', 'query is required', 'invalid-input'],
    [429, 'rate_limit_error', 'Workflow execution quota limit reached for tenant t1', 'rate-limited'],
    [429, 'too_many_requests', 'Too many requests. Please try again later.', 'busy'],
    [
      400,
      'invalid_param',
      'Too many requests. Please try again later. The current maximum concurrent requests allowed for a1 is 2.',
      'busy',
    ],
    // Upload codes: the widget uploads nothing, so they go by their status.
    [413, 'file_too_large', 'File size exceeded. 16.00 MB > 15 MB', 'invalid-input'],
    [415, 'unsupported_file_type', 'File type not allowed.', 'invalid-input'],
    [403, 'app_suggested_questions_after_answer_disabled', 'Function Suggested questions is disabled.', 'unavailable'],
    [403, 'app_more_like_this_disabled', 'The more like this feature is disabled.', 'unavailable'],
    [500, 'internal_server_error', 'Internal Server Error, please contact support.', 'server'],
    [500, 'unknown', 'Internal Server Error', 'server'],
    [502, 'bad_gateway', 'upstream', 'server'],
  ];

  it.each(table)('%i %s "%s" → %s', (status, code, message, kind, path) => {
    const err = apiErrorFromHttp(body(status, code, message), path ? { path } : {});
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind, status, code, message, interrupted: false });
  });

  it('keeps the first string of message/error/detail from non-Dify JSON', () => {
    const err = apiErrorFromHttp({ status: 400, contentType: 'application/json', bodyText: '{"error":"bad thing"}' });
    expect(err).toMatchObject({ kind: 'invalid-input', message: 'bad thing', status: 400 });
  });

  it('keeps an empty server message empty: what the visitor reads comes from the UI, by kind', () => {
    expect(apiErrorFromHttp(body(500, 'unknown', ''))).toMatchObject({ kind: 'server', message: '' });
  });

  it('carries Retry-After', () => {
    const err = apiErrorFromHttp({ ...body(429, 'too_many_requests', 'Too many requests.'), retryAfterMs: 2000 });
    expect(err.retryAfterMs).toBe(2000);
  });
});

describe('non-JSON error bodies', () => {
  const nginx502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body>
</html>`;

  it('an HTML page is bad-response with its title, never a JSON parse error', () => {
    const err = apiErrorFromHttp({ status: 502, statusText: 'Bad Gateway', contentType: 'text/html', bodyText: nginx502 });
    expect(err.kind).toBe('bad-response');
    expect(err.status).toBe(502);
    expect(err.message).toBe('HTTP 502, text/html: 502 Bad Gateway');
    expect(err.message).not.toMatch(/JSON|Unexpected token|position/);
  });

  it('plain text is quoted, shortened', () => {
    const err = apiErrorFromHttp({ status: 500, contentType: 'text/plain; charset=utf-8', bodyText: 'x'.repeat(500) });
    expect(err.kind).toBe('bad-response');
    expect(err.message.length).toBeLessThan(200);
  });

  it('an empty body says so', () => {
    const err = apiErrorFromHttp({ status: 503, statusText: '', contentType: null, bodyText: '' });
    expect(err.message).toContain('HTTP 503, no content type: empty body');
  });

  it("nginx's 413 HTML page is a bad response, a proxy 429 is busy", () => {
    const html = '<html><head><title>413 Request Entity Too Large</title></head></html>';
    expect(apiErrorFromHttp({ status: 413, contentType: 'text/html', bodyText: html }).kind).toBe('bad-response');
    expect(apiErrorFromHttp({ status: 429, contentType: 'text/html', bodyText: '<title>Too Many</title>' }).kind).toBe('busy');
  });
});

describe('retry classification', () => {
  const e = (kind: ApiErrorKind, status?: number, interrupted = false) => new ApiError({ kind, status, message: kind, interrupted });

  it.each<[ApiError, boolean, boolean]>([
    [e('network'), true, false],
    [e('timeout'), true, false],
    [e('busy', 429), true, true],
    [e('busy', 400), true, true],
    [e('server', 500), true, true],
    [e('server', 503), true, true],
    [e('model-error', 400), true, false],
    [e('bad-response', 502), true, true],
    [e('bad-response', 503), true, true],
    [e('bad-response', 504), true, false],
    [e('bad-response', 200), false, false],
    [e('rate-limited', 429), false, false],
    [e('unauthorized', 401), false, false],
    [e('invalid-input', 400), false, false],
    [e('aborted'), false, false],
    [e('server', 500, true), true, false],
  ])('%o → retryable %s, auto %s', (err, retryable, auto) => {
    expect(isRetryable(err)).toBe(retryable);
    expect(isAutoRetryable(err)).toBe(auto);
  });
});

describe('toApiError', () => {
  it('keeps ApiErrors', () => {
    const err = new ApiError({ kind: 'busy', message: 'x' });
    expect(toApiError(err)).toBe(err);
  });
  it('fetch rejections are network errors with the cause kept', () => {
    const cause = new TypeError('Failed to fetch');
    const err = toApiError(cause);
    expect(err).toMatchObject({ kind: 'network', message: 'Failed to fetch' });
    expect(err.cause).toBe(cause);
  });
  it('AbortError → aborted; our timeout → timeout', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toApiError(abort).kind).toBe('aborted');
    expect(toApiError(abort, { timedOut: true }).kind).toBe('timeout');
  });
  it('isApiError recognises copies from another bundle by name and kind', () => {
    const foreign = Object.assign(new Error('x'), { name: 'ApiError', kind: 'busy' });
    expect(isApiError(foreign)).toBe(true);
    expect(isApiError(new Error('x'))).toBe(false);
  });
});
