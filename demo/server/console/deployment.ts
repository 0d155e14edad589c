import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { App, AppMode } from '../apps.ts';
import type { MockState } from '../context.ts';
import { nowSeconds } from '../store.ts';
import { defaultEra, defaultParameters, defaultSite } from './defaults.ts';
import { maskKey } from '../mask.ts';
import { hashKey, KEY_PREFIX, newApiKey } from './keys.ts';
import { DEFAULT_RATE_LIMITS, type LimitResult, type RateLimits, SlidingWindowLimiter } from './rate-limit.ts';

/**
 * Dify's deployment model for every app of the mock: the site channel (toggle, regenerable code,
 * which the web API already honours through the App record), the API channel (toggle, secret keys,
 * per-minute and per-hour limits), and the apps the console creates. Persisted to its own JSON file
 * beside the Store's, since it is a different thing with a different life: keys outlive conversations.
 */

export interface ApiKeyRecord {
  id: string;
  app_id: string;
  /** SHA-256 of the key; the key itself is never stored. */
  hash: string;
  last4: string;
  created_at: number;
  last_used_at: number | null;
}

/** What the console keeps about one app beyond the App record the web API reads. */
interface AppRecord {
  app_id: string;
  key: string;
  name: string;
  description: string;
  created_at: number;
  enable_api: boolean;
  rate_limit: RateLimits;
  /** Made by the console (re-created on start), rather than read from apps.json. */
  created_by_console: boolean;
}

interface Snapshot {
  version: 1;
  records: AppRecord[];
  /** The App state of every app: code, site toggle, settings, and everything of console-made apps. */
  apps: (Omit<App, 'key'> & { key: string })[];
  keys: ApiKeyRecord[];
  /** app_ids of apps.json apps deleted through the console. */
  deleted: string[];
}

/** Dify's console refuses an eleventh key per app. */
export const MAX_KEYS_PER_APP = 10;

export interface NewAppInput {
  name: string;
  mode: AppMode;
  description?: string;
  site?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
}

export class Deployment {
  private records = new Map<string, AppRecord>();
  private keys = new Map<string, ApiKeyRecord>();
  private deleted = new Set<string>();
  private saveTimer: NodeJS.Timeout | undefined;
  readonly limiter: SlidingWindowLimiter;

  constructor(
    private readonly state: MockState,
    private readonly file: string | null,
    readonly adminSecret: string,
    now: () => number = Date.now,
  ) {
    this.limiter = new SlidingWindowLimiter(now);
    if (file && existsSync(file)) this.load(file);
    for (const app of state.apps.all()) this.recordOf(app);
  }

  // ---- apps ---------------------------------------------------------------------------------

  /** By app_id, or by the apps.json key QA knows. */
  find(idOrKey: string): App | undefined {
    return this.state.apps.byId(idOrKey) ?? this.state.apps.all().find((a) => a.key === idOrKey);
  }

  /** The console's record of an app, made on first sight (apps.json apps, or apps re-added by a reset). */
  recordOf(app: App): AppRecord {
    let record = this.records.get(app.app_id);
    if (!record) {
      record = {
        app_id: app.app_id,
        key: app.key,
        name: String(app.site.title ?? app.key),
        description: String(app.site.description ?? ''),
        created_at: nowSeconds(),
        enable_api: true,
        rate_limit: { ...DEFAULT_RATE_LIMITS },
        created_by_console: false,
      };
      this.records.set(app.app_id, record);
    }
    return record;
  }

  createApp(input: NewAppInput): App {
    const app_id = randomUUID();
    const app: App = {
      app_id,
      key: `console-${app_id.slice(0, 8)}`,
      code: '',
      mode: input.mode,
      enable_site: true,
      site: { ...defaultSite(input.name, input.description ?? ''), ...input.site },
      parameters: { ...defaultParameters(input.mode), ...input.parameters },
      meta: { tool_icons: {} },
      ...defaultEra(input.mode),
    };
    this.state.apps.regenerateCode(app);
    this.state.apps.add(app);
    const record = this.recordOf(app);
    Object.assign(record, { name: input.name, description: input.description ?? '', created_by_console: true });
    this.changed();
    return app;
  }

  deleteApp(app: App): void {
    this.state.apps.remove(app);
    const record = this.records.get(app.app_id);
    if (record && !record.created_by_console) this.deleted.add(app.app_id);
    this.records.delete(app.app_id);
    for (const key of this.keysOf(app)) this.keys.delete(key.id);
    this.limiter.forget(app.app_id);
    this.changed();
  }

  /** Call after changing an App or its record in place. */
  changed(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), 100);
    this.saveTimer.unref();
  }

  // ---- API keys -----------------------------------------------------------------------------

  keysOf(app: App): ApiKeyRecord[] {
    return [...this.keys.values()].filter((k) => k.app_id === app.app_id).sort((a, b) => a.created_at - b.created_at);
  }

  /** The only moment the full key exists outside the caller's hands. */
  createKey(app: App): { record: ApiKeyRecord; token: string } | null {
    if (this.keysOf(app).length >= MAX_KEYS_PER_APP) return null;
    const token = newApiKey();
    const record: ApiKeyRecord = {
      id: randomUUID(),
      app_id: app.app_id,
      hash: hashKey(token),
      last4: token.slice(-4),
      created_at: nowSeconds(),
      last_used_at: null,
    };
    this.keys.set(record.id, record);
    this.state.log(`[console] ${app.key}: API key ${record.id} created (${maskKey(KEY_PREFIX, record.last4)})`);
    this.changed();
    return { record, token };
  }

  /** Only the app's own keys can be deleted through it. */
  deleteKey(app: App, keyId: string): boolean {
    const record = this.keys.get(keyId);
    if (!record || record.app_id !== app.app_id) return false;
    this.keys.delete(keyId);
    this.state.log(`[console] ${app.key}: API key ${keyId} deleted`);
    this.changed();
    return true;
  }

  /** The app a service API key belongs to, or null for an unknown (or deleted) key. */
  appOfKey(token: string): { app: App | undefined; key: ApiKeyRecord } | null {
    const hash = hashKey(token);
    for (const key of this.keys.values()) {
      if (key.hash !== hash) continue;
      key.last_used_at = nowSeconds();
      return { app: this.state.apps.byId(key.app_id), key };
    }
    return null;
  }

  hit(app: App): LimitResult {
    return this.limiter.hit(app.app_id, this.recordOf(app).rate_limit);
  }

  // ---- persistence --------------------------------------------------------------------------

  private load(file: string): void {
    try {
      const snap = JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>;
      for (const id of snap.deleted ?? []) {
        this.deleted.add(id);
        const app = this.state.apps.byId(id);
        if (app) this.state.apps.remove(app);
      }
      for (const record of snap.records ?? []) this.records.set(record.app_id, record);
      for (const saved of snap.apps ?? []) {
        const existing = this.state.apps.byId(saved.app_id);
        if (existing) Object.assign(existing, saved, { key: existing.key });
        // A file written before apps had eras gets the fields a new app would.
        else if (this.records.get(saved.app_id)?.created_by_console)
          this.state.apps.add({ ...defaultEra(saved.mode), ...structuredClone(saved) });
      }
      for (const key of snap.keys ?? []) this.keys.set(key.id, key);
    } catch (err) {
      console.warn(`[mock] ignoring unreadable console file ${file}: ${(err as Error).message}`);
    }
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    const apps = this.state.apps.all();
    const snap: Snapshot = {
      version: 1,
      records: [...this.records.values()].filter((r) => apps.some((a) => a.app_id === r.app_id)),
      apps: apps.map((app) => structuredClone(app)),
      keys: [...this.keys.values()],
      deleted: [...this.deleted],
    };
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(snap, null, 1));
    renameSync(tmp, this.file);
  }
}

const deployments = new WeakMap<MockState, Deployment>();

/** One Deployment per mock server, beside its state (the shared MockState type stays as it is). */
export function attachDeployment(state: MockState, deployment: Deployment): void {
  deployments.set(state, deployment);
}

export function deploymentOf(state: MockState): Deployment {
  const deployment = deployments.get(state);
  if (!deployment) throw new Error('no deployment attached to this mock server');
  return deployment;
}
