import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Era, ERAS, isEra, oldestEraFor } from './eras.ts';

/**
 * The app modes of demo/apps.json and the console: the chat family the web chat endpoint accepts
 * (docs/PROTOCOL.md §2.4), New Agent (`agent`, Dify 1.15+), and completion and workflow apps, which the
 * chat endpoints refuse (§2.11).
 */
export type AppMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'agent' | 'completion' | 'workflow';

type Json = Record<string, unknown>;

/** One app of demo/apps.json, keyed there by its original site code. */
export interface AppDefinition {
  app_id: string;
  mode: AppMode;
  enable_site: boolean;
  site: Json;
  parameters: Json;
  meta: { tool_icons: Record<string, unknown> };
  /** The Dify release whose wire shapes the app speaks (eras.ts); default `1.12`. */
  era: Era;
  /** New Agent only: false answers `agent_not_published` on chat-messages and parameters. */
  published: boolean;
  /** Chatflow with a human-input node after its first LLM node (scripts/human-input.ts). */
  human_input: boolean;
}

/** An app plus its deployment state, which the admin endpoints change at run time. */
export interface App extends AppDefinition {
  /** The key in apps.json; stable, so QA and tests can address the app after a code regeneration. */
  key: string;
  /** The site code (X-App-Code) currently valid for this app. */
  code: string;
}

export const MODES: readonly string[] = ['chat', 'agent-chat', 'advanced-chat', 'agent', 'completion', 'workflow'];

/** The chat-family modes: everything but completion and workflow (docs/PROTOCOL.md §2.4; `agent` since 1.15). */
export function isChatMode(mode: AppMode): boolean {
  return mode !== 'completion' && mode !== 'workflow';
}

/** Why an app cannot speak an era, or null when it can. */
export function eraProblem(app: Pick<AppDefinition, 'mode' | 'human_input'>, era: unknown): string | null {
  if (!isEra(era)) return `era must be one of ${ERAS.join(', ')}`;
  const oldest = oldestEraFor(app.mode, app.human_input);
  if (ERAS.indexOf(era) < ERAS.indexOf(oldest))
    return `a ${app.human_input ? 'human-input chatflow' : app.mode} app needs era ${oldest} or later`;
  return null;
}

export function loadAppDefinitions(file: string): Map<string, AppDefinition> {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${file}: expected an object keyed by site code`);
  const apps = new Map<string, AppDefinition>();
  for (const [code, value] of Object.entries(raw as Json)) {
    const def = value as AppDefinition;
    if (!def || typeof def.app_id !== 'string' || !MODES.includes(def.mode)) {
      throw new Error(`${file}: app "${code}" needs app_id and a mode of ${MODES.join(', ')}`);
    }
    const app: AppDefinition = {
      app_id: def.app_id,
      mode: def.mode,
      enable_site: def.enable_site !== false,
      site: def.site ?? {},
      parameters: def.parameters ?? {},
      meta: { tool_icons: def.meta?.tool_icons ?? {} },
      era: def.era ?? '1.12',
      published: def.published !== false,
      human_input: def.human_input === true,
    };
    if (app.human_input && app.mode !== 'advanced-chat') throw new Error(`${file}: app "${code}": human_input needs mode advanced-chat`);
    const problem = eraProblem(app, app.era);
    if (problem) throw new Error(`${file}: app "${code}": ${problem}`);
    apps.set(code, app);
  }
  return apps;
}

/** The apps with their live site codes; `reset()` restores apps.json. */
export class AppRegistry {
  private apps: App[] = [];

  constructor(private readonly definitions: Map<string, AppDefinition>) {
    this.reset();
  }

  reset(): void {
    this.apps = [...this.definitions].map(([key, def]) => ({
      ...structuredClone(def),
      key,
      code: key,
    }));
  }

  all(): readonly App[] {
    return this.apps;
  }

  /** Lookup by the live site code, as /api/passport and the JWT's app_code check do. */
  byCode(code: string): App | undefined {
    return this.apps.find((app) => app.code === code);
  }

  /** Adds an app created at run time (the console, demo/server/console/); `reset()` drops it again. */
  add(app: App): void {
    this.apps.push(app);
  }

  /** Deletes an app: its passports and site code stop working at once, as when Dify deletes one. */
  remove(app: App): void {
    this.apps = this.apps.filter((a) => a !== app);
  }

  byId(appId: string): App | undefined {
    return this.apps.find((app) => app.app_id === appId);
  }

  /** Lookup for admin calls and fault filters: the apps.json key or the live code. */
  byKeyOrCode(keyOrCode: string): App | undefined {
    return this.apps.find((app) => app.key === keyOrCode) ?? this.byCode(keyOrCode);
  }

  /** Models "regenerate" in Dify's console: a new random code; the old one stops working. */
  regenerateCode(app: App): string {
    app.code = randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16);
    return app.code;
  }
}

/** Reads a feature flag such as `suggested_questions_after_answer` from an app's parameters. */
export function featureEnabled(app: App, feature: string): boolean {
  const value = app.parameters[feature];
  return !!value && typeof value === 'object' && (value as { enabled?: unknown }).enabled === true;
}

export interface FormVariable {
  type: string;
  variable: string;
  label?: string;
  required?: boolean;
  max_length?: number;
  options?: string[];
}

/** `user_input_form` flattened from its single-key wrapper objects (docs/PROTOCOL.md §2.2). */
export function formVariables(app: App): FormVariable[] {
  const form = app.parameters.user_input_form;
  if (!Array.isArray(form)) return [];
  const vars: FormVariable[] = [];
  for (const entry of form) {
    if (!entry || typeof entry !== 'object') continue;
    for (const [type, def] of Object.entries(entry as Json)) {
      if (type === 'external_data_tool' || !def || typeof def !== 'object') continue;
      const v = def as FormVariable;
      if (typeof v.variable === 'string') vars.push({ ...v, type });
    }
  }
  return vars;
}

/** File size limits in bytes from `system_parameters` (MB in the wire format). */
export function sizeLimitBytes(app: App, kind: 'image' | 'video' | 'audio' | 'document'): number {
  const sys = (app.parameters.system_parameters ?? {}) as Record<string, unknown>;
  const key = kind === 'document' ? 'file_size_limit' : `${kind}_file_size_limit`;
  const mb = typeof sys[key] === 'number' ? (sys[key] as number) : 15;
  return mb * 1024 * 1024;
}
