import { randomUUID } from 'node:crypto';
import { invalidParam } from './errors.ts';

/**
 * Faults QA queues through POST /__mock/faults; each is consumed by the next matching request.
 * Auth kinds hit any app-bound /api request; the others hit POST /api/chat-messages unless `path` says otherwise
 * (stream kinds only ever apply to a chat-messages stream).
 */
export const AUTH_KINDS = ['passport-invalid', 'site-disabled'] as const;
export const PRE_KINDS = [
  'latency',
  'invalid-param',
  'too-many-requests',
  'server-error',
  'html-error',
  'conversation-gone',
  'conversation-completed',
] as const;
export const STREAM_KINDS = ['stall', 'cut', 'error-event', 'malformed-event'] as const;
export const FAULT_KINDS = [...AUTH_KINDS, ...PRE_KINDS, ...STREAM_KINDS] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  id: string;
  kind: FaultKind;
  /** How many requests it hits; 0 = until cleared. */
  times: number;
  remaining: number;
  /** Limit to one app (apps.json key or live site code). */
  app?: string;
  /** Limit to requests whose path starts with this (e.g. "/api/parameters"). */
  path?: string;
  params: Record<string, unknown>;
  created_at: string;
}

export interface ConsumedFault {
  id: string;
  kind: FaultKind;
  at: string;
  method: string;
  path: string;
  app: string | null;
  params: Record<string, unknown>;
}

export interface FaultTarget {
  method: string;
  path: string;
  /** Keys and codes naming the request's app (empty when unknown). */
  appNames: string[];
  /** Whether the route needs a passport (passport-invalid only hits those). */
  needsPassport: boolean;
}

const DEFAULTS: Record<FaultKind, Record<string, unknown>> = {
  'passport-invalid': {},
  'site-disabled': {},
  latency: { ms: 10_000 },
  'invalid-param': { message: 'Invalid parameter (mock fault: invalid-param).' },
  'too-many-requests': { limit: 1 },
  'server-error': { status: 500 },
  'html-error': { status: 502 },
  'conversation-gone': {},
  'conversation-completed': {},
  stall: { ms: 60_000, afterEvents: 0 },
  cut: { afterEvents: 3 },
  'error-event': {
    afterEvents: 3,
    code: 'completion_request_error',
    status: 400,
    message: '[openai] Rate Limit Error, Error code: 429 - Rate limit reached for requests (mock fault: error-event).',
  },
  'malformed-event': { afterEvents: 2 },
};

const NUMERIC = new Set(['ms', 'afterEvents', 'limit', 'retryAfter', 'status']);

function isChatStream(t: FaultTarget): boolean {
  return t.method === 'POST' && t.path === '/api/chat-messages';
}

export class FaultQueue {
  private queue: Fault[] = [];
  private consumedLog: ConsumedFault[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** Validates and queues one fault object or a list of them. */
  add(input: unknown): Fault[] {
    const items = Array.isArray(input) ? input : [input];
    const parsed = items.map((item) => this.parse(item));
    this.queue = this.queue.concat(parsed);
    return parsed;
  }

  private parse(item: unknown): Fault {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw invalidParam('a fault must be a JSON object');
    const { kind, times, app, path, ...rest } = item as Record<string, unknown>;
    if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw invalidParam(`kind must be one of: ${FAULT_KINDS.join(', ')}`);
    }
    const count = times === undefined ? 1 : times;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw invalidParam('times must be a non-negative integer (0 = until cleared)');
    }
    if (app !== undefined && typeof app !== 'string') throw invalidParam('app must be a site code');
    if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
      throw invalidParam('path must start with /');
    }
    const params: Record<string, unknown> = { ...DEFAULTS[kind as FaultKind], ...rest };
    for (const [key, value] of Object.entries(params)) {
      if (NUMERIC.has(key) && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        throw invalidParam(`${key} must be a non-negative number`);
      }
    }
    if (kind === 'server-error' && ![500, 502, 503].includes(params.status as number)) {
      throw invalidParam('server-error status must be 500, 502 or 503');
    }
    const fault: Fault = {
      id: randomUUID(),
      kind: kind as FaultKind,
      times: count,
      remaining: count,
      params,
      created_at: new Date().toISOString(),
    };
    if (typeof app === 'string') fault.app = app;
    if (typeof path === 'string') fault.path = path;
    return fault;
  }

  private matches(fault: Fault, target: FaultTarget): boolean {
    if (fault.app && !target.appNames.includes(fault.app)) return false;
    if ((STREAM_KINDS as readonly string[]).includes(fault.kind)) return isChatStream(target);
    if (fault.path) return target.path.startsWith(fault.path) && !target.path.startsWith('/__mock');
    if (fault.kind === 'passport-invalid') return target.needsPassport;
    if (fault.kind === 'site-disabled') return target.needsPassport || target.path === '/api/passport';
    return isChatStream(target);
  }

  /** Consumes, for each of `kinds`, the oldest queued fault that matches the request. */
  take(target: FaultTarget, kinds: readonly FaultKind[]): Map<FaultKind, Fault> {
    const taken = new Map<FaultKind, Fault>();
    for (const kind of kinds) {
      const fault = this.queue.find((f) => f.kind === kind && this.matches(f, target));
      if (!fault) continue;
      taken.set(kind, fault);
      if (fault.times !== 0) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.queue = this.queue.filter((f) => f !== fault);
      }
      const record: ConsumedFault = {
        id: fault.id,
        kind,
        at: new Date().toISOString(),
        method: target.method,
        path: target.path,
        app: target.appNames[0] ?? null,
        params: fault.params,
      };
      this.consumedLog.push(record);
      if (this.consumedLog.length > 200) this.consumedLog.shift();
      this.log(`[mock] fault ${kind} ${JSON.stringify(fault.params)} → ${target.method} ${target.path}`);
    }
    return taken;
  }

  clear(): void {
    this.queue = [];
    this.consumedLog = [];
  }

  queued(): readonly Fault[] {
    return this.queue;
  }

  consumed(): readonly ConsumedFault[] {
    return this.consumedLog;
  }
}
