import { randomBytes, randomUUID } from 'node:crypto';
import type { FormDefinition, Submission } from './definition.ts';

/**
 * Open and answered human-input forms (in memory only; a restart forgets them), their upload tokens,
 * expiry timers and the per-IP rate limit of the public form endpoints.
 */
export interface FormRecord {
  formId: string;
  formToken: string;
  appId: string;
  endUserId: string;
  conversationId: string;
  messageId: string;
  workflowRunId: string;
  /** The node execution the form paused, finished when the run resumes. */
  nodeExecutionId: string;
  /** `http://host:port` the asking client used, for absolute URLs in the resumed answer. */
  origin: string;
  definition: FormDefinition;
  /** Unix seconds, as `expiration_time`. */
  expirationTime: number;
  state: 'waiting' | 'submitted' | 'expired';
  submission: (Submission & { renderedContent: string }) | null;
  /** upload_file_id → filename, for files uploaded through this form's upload tokens. */
  uploads: Map<string, string>;
}

export type NewForm = Omit<FormRecord, 'formId' | 'formToken' | 'expirationTime' | 'state' | 'submission' | 'uploads'>;

/** `hitl_upload_` is the prefix Dify's upload endpoint checks before looking a token up. */
export const UPLOAD_TOKEN_PREFIX = 'hitl_upload_';

export class HumanInputForms {
  private readonly byToken = new Map<string, FormRecord>();
  private readonly byUploadToken = new Map<string, FormRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hits = new Map<string, number[]>();

  constructor(closing: AbortSignal) {
    closing.addEventListener('abort', () => this.clear(), { once: true });
  }

  /** Opens a form that expires after `expiryMs`, calling `onExpire` if nobody answered by then. */
  create(init: NewForm, expiryMs: number, onExpire: (form: FormRecord) => void): FormRecord {
    const form: FormRecord = {
      ...init,
      formId: randomUUID(),
      formToken: randomBytes(16).toString('base64url'),
      expirationTime: Math.floor((Date.now() + expiryMs) / 1000),
      state: 'waiting',
      submission: null,
      uploads: new Map(),
    };
    this.byToken.set(form.formToken, form);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (form.state !== 'waiting') return;
      form.state = 'expired';
      onExpire(form);
    }, expiryMs);
    timer.unref();
    this.timers.add(timer);
    return form;
  }

  get(formToken: string): FormRecord | undefined {
    return this.byToken.get(formToken);
  }

  /** An upload token valid while the form is open. */
  issueUploadToken(form: FormRecord): string {
    const token = `${UPLOAD_TOKEN_PREFIX}${randomBytes(18).toString('base64url')}`;
    this.byUploadToken.set(token, form);
    return token;
  }

  formOfUploadToken(token: string): FormRecord | undefined {
    const form = this.byUploadToken.get(token);
    return form && form.state === 'waiting' ? form : undefined;
  }

  /**
   * Dify's RateLimiter as the form endpoints use it: refused once `max` requests of this bucket and IP
   * fell within the window; a refused request does not count.
   */
  rateLimited(bucket: string, ip: string, max: number, windowMs: number): boolean {
    const key = `${bucket} ${ip}`;
    const now = Date.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= max) {
      this.hits.set(key, recent);
      return true;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return false;
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.byToken.clear();
    this.byUploadToken.clear();
    this.hits.clear();
  }
}
