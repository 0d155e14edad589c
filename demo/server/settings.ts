import { invalidParam } from './errors.ts';

/** Server-wide knobs QA and tests switch at run time through POST /__mock/settings. */
export interface Settings {
  /** Delay between streamed tokens. */
  tokenDelayMs: number;
  /** `event: ping` after this much stream idleness (Dify: 10 s, docs/PROTOCOL.md §3.1). */
  pingIntervalMs: number;
  /** Emit Python `json.dumps` style events (pre-1.8.1 servers) instead of compact orjson. */
  legacyJson: boolean;
  /** Write every event in several TCP chunks split at awkward byte offsets. */
  splitChunks: boolean;
  /** Chatflow terminal order: 1.12.1 `workflow_finished`→`message_end`, or the newest reverse order. */
  chatflowOrder: 'v1.12' | 'newest';
  /** The app concurrency limit as documented (429) or as the 1.12.1 code behaves (400). docs/PROTOCOL.md §8.1. */
  concurrencyErrorStyle: '429' | '400';
  /** Prefix for tool file URLs; '' gives relative URLs like a Dify with FILES_URL unset (§2.10). */
  filesUrl: string;
  /**
   * A pub/sub stream (1.13+ chatflows, the workflow events endpoint) closes after this long without
   * an event; pings do not count (Dify: 300 s). Tests set it short.
   */
  idleTimeoutMs: number;
  /** How long a human-input form stays open before `human_input_form_timeout`. */
  humanInputExpiryMs: number;
  /** Human-input form requests per IP and bucket (GET, POST, upload-token) in the window (Dify: 30 / 60 s). */
  formRateLimitMax: number;
  formRateLimitWindowMs: number;
  /** When set, every answer is exactly this text, whatever the question (hostile-content tests). */
  answerText: string;
  /** Stream answers in deltas of this many characters instead of 1–4 words (0 = words). */
  answerChunkChars: number;
}

export function defaultSettings(tokenDelayMs = 30): Settings {
  return {
    tokenDelayMs,
    pingIntervalMs: 10_000,
    legacyJson: false,
    splitChunks: false,
    chatflowOrder: 'v1.12',
    concurrencyErrorStyle: '429',
    filesUrl: '',
    idleTimeoutMs: 300_000,
    humanInputExpiryMs: 3_600_000,
    formRateLimitMax: 30,
    formRateLimitWindowMs: 60_000,
    answerText: '',
    answerChunkChars: 0,
  };
}

function nonNegativeInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidParam(`${name} must be a non-negative number`);
  }
  return Math.floor(value);
}

function bool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidParam(`${name} must be a boolean`);
  return value;
}

/** Validates a partial update and returns the merged settings (throws `invalid_param` on bad values). */
export function mergeSettings(current: Settings, patch: unknown): Settings {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw invalidParam('settings must be a JSON object');
  const next = { ...current };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    switch (key) {
      case 'tokenDelayMs':
        next.tokenDelayMs = nonNegativeInt(key, value);
        break;
      case 'pingIntervalMs':
        next.pingIntervalMs = Math.max(1, nonNegativeInt(key, value));
        break;
      case 'legacyJson':
        next.legacyJson = bool(key, value);
        break;
      case 'splitChunks':
        next.splitChunks = bool(key, value);
        break;
      case 'chatflowOrder':
        if (value !== 'v1.12' && value !== 'newest') throw invalidParam("chatflowOrder must be 'v1.12' or 'newest'");
        next.chatflowOrder = value;
        break;
      case 'concurrencyErrorStyle':
        if (value !== '429' && value !== '400') throw invalidParam("concurrencyErrorStyle must be '429' or '400'");
        next.concurrencyErrorStyle = value;
        break;
      case 'idleTimeoutMs':
      case 'humanInputExpiryMs':
      case 'formRateLimitWindowMs':
        next[key] = Math.max(1, nonNegativeInt(key, value));
        break;
      case 'formRateLimitMax':
        next.formRateLimitMax = nonNegativeInt(key, value);
        break;
      case 'answerText':
        if (typeof value !== 'string') throw invalidParam('answerText must be a string');
        next.answerText = value;
        break;
      case 'answerChunkChars':
        next.answerChunkChars = nonNegativeInt(key, value);
        break;
      case 'filesUrl':
        if (typeof value !== 'string') throw invalidParam('filesUrl must be a string');
        next.filesUrl = value.replace(/\/+$/, '');
        break;
      default:
        throw invalidParam(`unknown setting ${key}`);
    }
  }
  return next;
}
