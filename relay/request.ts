import { RelayError, unauthorized } from './errors.ts';

/** Reading the widget's request: its passport and its JSON body, with Dify's messages for the failures. */

const MAX_BODY = 1024 * 1024;

/** The passport comes as Dify's (docs/PROTOCOL.md §1.3): X-App-Passport, or Bearer from older widgets. */
export function passportOf(request: Request): string {
  const header = request.headers.get('x-app-passport')?.trim();
  if (header) return header;
  const authorization = request.headers.get('authorization')?.trim();
  if (authorization) {
    const [scheme, token] = authorization.split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer' && token) return token;
  }
  throw unauthorized('App token is missing.');
}

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY)
    throw new RelayError(413, 'request_too_large', 'The request body is too large.');
  const text = await request.text();
  if (text.length > MAX_BODY) throw new RelayError(413, 'request_too_large', 'The request body is too large.');
  try {
    const body: unknown = text.trim() ? JSON.parse(text) : {};
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // falls through to Dify's message
  }
  throw new RelayError(400, 'bad_request', 'Invalid JSON payload received or JSON payload is empty.');
}
