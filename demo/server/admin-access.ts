import type { RequestContext } from './context.ts';
import { DifyError } from './errors.ts';

/**
 * Who may use /__mock. The mock runs on testers' machines beside their other tabs, and /__mock
 * can read every passport (the request log) and change what the server does, so unlike /api it
 * takes no part in CORS. It answers:
 * - clients on this machine (the loopback address), and only
 * - when they name the server by a loopback name or the configured HOST (a page on an attacker's
 *   domain that re-points its DNS at 127.0.0.1 would otherwise be "same-origin" with the mock),
 * - without an Origin (curl, Node's fetch in the tests) or from the demo page's own origin, and
 * - for anything but a read, with a JSON body type, which a foreign page cannot send without a
 *   CORS preflight, and the preflight gets no CORS headers here.
 */
export interface AdminAccessOptions {
  /** The host name the server was told to listen on (HOST), also accepted in the Host header. */
  listenHost: string;
}

const LOOPBACK_NAMES = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

function isLoopbackAddress(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

function hostNameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

const refused = (message: string): DifyError => new DifyError(403, 'forbidden', message);

/** Throws the 403 or 415 that refuses this /__mock request; returns when it may go on. */
export function checkAdminAccess(ctx: RequestContext, opts: AdminAccessOptions): void {
  const { req, method } = ctx;
  if (!isLoopbackAddress(req.socket.remoteAddress)) throw refused('The mock admin API only answers loopback clients.');

  const host = hostNameOf(req.headers.host);
  const listenHost = opts.listenHost.toLowerCase();
  const knownHost = !!host && (LOOPBACK_NAMES.test(host) || (!WILDCARD_HOSTS.has(listenHost) && host === listenHost));
  if (!knownHost) throw refused('The mock admin API only answers requests addressed to localhost or the HOST it listens on.');

  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) {
    throw refused('The mock admin API only answers the demo page on its own origin.');
  }
  // Browsers send this even where they leave Origin out (e.g. an <img> pointing here).
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw refused('The mock admin API only answers the demo page on its own origin.');

  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (type !== 'application/json') {
      throw new DifyError(415, 'unsupported_media_type', 'The mock admin API takes Content-Type: application/json for every change.');
    }
  }

  // An admin secret (for the console to come) is checked here: compare a request header with the
  // secret given at start-up (crypto.timingSafeEqual) and throw `refused(...)` when it differs.
}
