import type { ContainerProps, ResolvedConfig } from './types.ts';

/** Outcome of validating a config: `config` is null only when the widget must not start. */
export interface ConfigResult {
  config: ResolvedConfig | null;
  /** One readable sentence per problem, without the `[dify-chatbot]` prefix. */
  problems: string[];
}

const DEFAULT_BASE_URL = 'https://udify.app';
const DEV_BASE_URL = 'https://dev.udify.app';

/** Dify's secret service-API keys look like `app-` followed by 24 letters and digits. */
const SECRET_KEY_PATTERN = /^app-[A-Za-z0-9]{8,}$/;

const KNOWN_KEYS = new Set([
  'token', 'baseUrl', 'isDev', 'inputs', 'systemVariables', 'userVariables', 'containerProps',
  'draggable', 'dragAxis', 'dynamicScript', 'apiBaseUrl', 'nonce',
]);
const SYSTEM_VARIABLES = new Set(['user_id', 'conversation_id', 'locale']);
const USER_VARIABLES = new Set(['avatar_url', 'name']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Property names that would let config replace the element's markup; refused on purpose. */
const FORBIDDEN_CONTAINER_PROPS = new Set(['innerHTML', 'outerHTML', 'innerText', 'outerText', 'textContent']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"` : `a ${typeof value}`;
}

/** An absolute http(s) URL without trailing slashes, or null. */
function parseHttpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/**
 * Validates `window.difyChatbotConfig` into a {@link ResolvedConfig}. Pure and total: never
 * throws, whatever `raw` is. Each problem becomes one readable sentence and a safe default.
 */
export function readConfig(raw: unknown): ConfigResult {
  const problems: string[] = [];
  if (!isPlainObject(raw)) {
    problems.push(
      raw === undefined
        ? 'window.difyChatbotConfig is not set; define it (with at least a token) before loading embed.js.'
        : `window.difyChatbotConfig must be an object, not ${describe(raw)}.`,
    );
    return { config: null, problems };
  }

  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`Unknown option "${key}" is ignored.`);
  }

  const token = readToken(raw.token, problems);
  const isDev = readBoolean(raw, 'isDev', false, problems);
  const baseUrl = readBaseUrl(raw.baseUrl, isDev, problems);
  const apiBase = readApiBase(raw.apiBaseUrl, baseUrl, problems);
  const config: ResolvedConfig = {
    token: token ?? '',
    baseUrl,
    apiBase,
    inputs: readInputs(raw.inputs, problems),
    systemVariables: readStringMap(raw.systemVariables, 'systemVariables', SYSTEM_VARIABLES, problems),
    userVariables: readStringMap(raw.userVariables, 'userVariables', USER_VARIABLES, problems),
    containerProps: readContainerProps(raw.containerProps, problems),
    draggable: readBoolean(raw, 'draggable', false, problems),
    dragAxis: readDragAxis(raw.dragAxis, problems),
    dynamicScript: readBoolean(raw, 'dynamicScript', false, problems),
  };
  if (raw.nonce !== undefined) {
    if (typeof raw.nonce === 'string' && raw.nonce) config.nonce = raw.nonce;
    else problems.push(`"nonce" must be a non-empty string, not ${describe(raw.nonce)}; it is ignored.`);
  }

  const conversationId = config.systemVariables.conversation_id;
  if (conversationId !== undefined && !UUID.test(conversationId)) {
    problems.push(`systemVariables.conversation_id must be a UUID, not ${describe(conversationId)}; it is ignored.`);
    delete config.systemVariables.conversation_id;
  }
  const avatar = config.userVariables.avatar_url;
  if (avatar !== undefined && parseHttpUrl(avatar) === null) {
    problems.push(`userVariables.avatar_url must be an http(s) URL, not ${describe(avatar)}; it is ignored.`);
    delete config.userVariables.avatar_url;
  }

  return { config: token === null ? null : config, problems };
}

function readToken(value: unknown, problems: string[]): string | null {
  if (value === undefined || value === '') {
    problems.push('difyChatbotConfig is empty or token is not provided; the chatbot is not shown.');
    return null;
  }
  if (typeof value !== 'string') {
    problems.push(`"token" must be a string, not ${describe(value)}; the chatbot is not shown.`);
    return null;
  }
  const token = value.trim();
  if (SECRET_KEY_PATTERN.test(token)) {
    problems.push(
      '"token" looks like a secret API key (app-…). Secret keys must never be put in a web page: ' +
        'anyone could read and misuse it. Use the app\'s public site token instead (the last part of ' +
        'its /chatbot/<token> URL), and rotate this key in Dify. The chatbot is not shown and nothing was sent.',
    );
    return null;
  }
  if (!/^[A-Za-z0-9_-]+$/.test(token)) {
    problems.push(`"token" ${describe(token)} is not a site token (letters, digits, - and _ only); the chatbot is not shown.`);
    return null;
  }
  return token;
}

function readBoolean(raw: Record<string, unknown>, key: string, fallback: boolean, problems: string[]): boolean {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  problems.push(`"${key}" must be true or false, not ${describe(value)}; using ${fallback}.`);
  return fallback;
}

function readBaseUrl(value: unknown, isDev: boolean, problems: string[]): string {
  const fallback = isDev ? DEV_BASE_URL : DEFAULT_BASE_URL;
  if (value === undefined || value === '') return fallback;
  const url = typeof value === 'string' ? parseHttpUrl(value) : null;
  if (url === null) {
    problems.push(`"baseUrl" must be an absolute http(s) URL such as https://dify.example.com, not ${describe(value)}; using ${fallback}.`);
    return fallback;
  }
  return url;
}

function readApiBase(value: unknown, baseUrl: string, problems: string[]): string {
  const fallback = `${baseUrl}/api`;
  if (value === undefined || value === '') return fallback;
  const url = typeof value === 'string' ? parseHttpUrl(value) : null;
  if (url === null) {
    problems.push(`"apiBaseUrl" must be an absolute http(s) URL, not ${describe(value)}; using ${fallback}.`);
    return fallback;
  }
  return url;
}

function readDragAxis(value: unknown, problems: string[]): 'x' | 'y' | 'both' {
  if (value === undefined) return 'both';
  if (value === 'x' || value === 'y' || value === 'both') return value;
  problems.push(`"dragAxis" must be "x", "y" or "both", not ${describe(value)}; using "both".`);
  return 'both';
}

function readInputs(value: unknown, problems: string[]): Record<string, string | number | boolean> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    problems.push(`"inputs" must be an object of variable values, not ${describe(value)}; it is ignored.`);
    return {};
  }
  const inputs: Record<string, string | number | boolean> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) inputs[name] = v;
    else problems.push(`inputs.${name} must be a string, number or boolean, not ${describe(v)}; it is ignored.`);
  }
  return inputs;
}

function readStringMap(value: unknown, name: string, known: Set<string>, problems: string[]): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    problems.push(`"${name}" must be an object, not ${describe(value)}; it is ignored.`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!known.has(key)) {
      problems.push(`${name}.${key} is not used by the chatbot (known: ${[...known].join(', ')}); it is ignored.`);
    } else if (typeof v === 'string' || typeof v === 'number') {
      if (String(v) !== '') out[key] = String(v);
    } else {
      problems.push(`${name}.${key} must be a string, not ${describe(v)}; it is ignored.`);
    }
  }
  return out;
}

function readContainerProps(value: unknown, problems: string[]): ContainerProps {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    problems.push(`"containerProps" must be an object, not ${describe(value)}; it is ignored.`);
    return {};
  }
  const props: ContainerProps = {};
  for (const [key, v] of Object.entries(value)) {
    if (FORBIDDEN_CONTAINER_PROPS.has(key)) {
      problems.push(`containerProps.${key} would replace the bubble's content; it is ignored.`);
    } else if (key === 'className' && typeof v !== 'string') {
      problems.push(`containerProps.className must be a string, not ${describe(v)}; it is ignored.`);
    } else if (key === 'style' && typeof v !== 'string' && !isPlainObject(v)) {
      problems.push(`containerProps.style must be a CSS string or an object, not ${describe(v)}; it is ignored.`);
    } else if (/^on/i.test(key) && typeof v !== 'function') {
      problems.push(`containerProps.${key} must be a function, not ${describe(v)}; it is ignored.`);
    } else {
      props[key] = v;
    }
  }
  return props;
}
