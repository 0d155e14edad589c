import type { ContainerProps, ResolvedConfig } from './types.ts';

/** Outcome of validating a config: `config` is null only when the widget must not start. */
export interface ConfigResult {
  config: ResolvedConfig | null;
  /** One readable sentence per problem, without the `[dify-chatbot]` prefix. */
  problems: string[];
}

/** Dify's secret service-API keys look like `app-` followed by 24 letters and digits. */
const SECRET_KEY = /^app-[A-Za-z0-9]{8,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KNOWN_KEYS =
  'token baseUrl isDev inputs systemVariables userVariables containerProps draggable dragAxis dynamicScript apiBaseUrl nonce prefetch'.split(
    ' ',
  );
/** Property names that would let config replace the element's markup; refused on purpose. */
const FORBIDDEN_CONTAINER_PROPS = ['innerHTML', 'outerHTML', 'innerText', 'outerText', 'textContent'];
const IGNORED = 'it is ignored';
const NOT_SHOWN = 'the chatbot is not shown';

type Raw = Record<string, unknown>;

function isPlainObject(value: unknown): value is Raw {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : `a ${typeof value}`;
}

/** An absolute http(s) URL without trailing slashes, or null. */
function httpUrl(value: unknown): string | null {
  try {
    const url = new URL(value as string);
    return /^https?:$/.test(url.protocol) ? url.href.replace(/\/+$/, '') : null;
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
  /** "<what> must be <expected>, not <value>; <outcome>." */
  const wrong = (what: string, expected: string, value: unknown, outcome: string) =>
    problems.push(`${what} must be ${expected}, not ${describe(value)}; ${outcome}.`);

  if (!isPlainObject(raw)) {
    if (raw === undefined) problems.push('window.difyChatbotConfig is not set; define it (with at least a token) before loading embed.js.');
    else wrong('window.difyChatbotConfig', 'an object', raw, NOT_SHOWN);
    return { config: null, problems };
  }
  for (const key of Object.keys(raw)) if (!KNOWN_KEYS.includes(key)) problems.push(`Unknown option "${key}" is ignored.`);

  const boolean = (key: string, fallback: boolean): boolean => {
    const value = raw[key];
    if (value === undefined || typeof value === 'boolean') return (value as boolean | undefined) ?? fallback;
    wrong(`"${key}"`, 'true or false', value, `using ${fallback}`);
    return fallback;
  };
  const url = (key: string, fallback: string): string => {
    const value = raw[key];
    if (value === undefined || value === '') return fallback;
    const parsed = httpUrl(value);
    if (!parsed) wrong(`"${key}"`, 'an absolute http(s) URL such as https://dify.example.com', value, `using ${fallback}`);
    return parsed ?? fallback;
  };
  const object = (key: string): Raw => {
    const value = raw[key];
    if (value === undefined || isPlainObject(value)) return value ?? {};
    wrong(`"${key}"`, 'an object', value, IGNORED);
    return {};
  };
  /** The string values of known keys of an object option (`systemVariables`, `userVariables`). */
  const strings = (key: string, known: string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(object(key))) {
      if (!known.includes(name)) problems.push(`${key}.${name} is not used by the chatbot (known: ${known.join(', ')}); ${IGNORED}.`);
      else if (typeof value === 'string' || typeof value === 'number') {
        if (String(value)) out[name] = String(value);
      } else wrong(`${key}.${name}`, 'a string', value, IGNORED);
    }
    return out;
  };

  const token = readToken(raw.token, problems, wrong);
  const baseUrl = url('baseUrl', boolean('isDev', false) ? 'https://dev.udify.app' : 'https://udify.app');
  const dragAxis = raw.dragAxis ?? 'both';
  const config: ResolvedConfig = {
    token: token ?? '',
    baseUrl,
    apiBase: url('apiBaseUrl', `${baseUrl}/api`),
    inputs: {},
    systemVariables: strings('systemVariables', ['user_id', 'conversation_id', 'locale']),
    userVariables: strings('userVariables', ['avatar_url', 'name']),
    containerProps: {},
    draggable: boolean('draggable', false),
    dragAxis: dragAxis === 'x' || dragAxis === 'y' || dragAxis === 'both' ? dragAxis : 'both',
    dynamicScript: boolean('dynamicScript', false),
    prefetch: boolean('prefetch', true),
  };
  if (config.dragAxis !== dragAxis) wrong('"dragAxis"', '"x", "y" or "both"', dragAxis, 'using "both"');

  for (const [name, value] of Object.entries(object('inputs'))) {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
      config.inputs[name] = value;
    else wrong(`inputs.${name}`, 'a string, number or boolean', value, IGNORED);
  }
  for (const [name, value] of Object.entries(object('containerProps') as ContainerProps)) {
    if (FORBIDDEN_CONTAINER_PROPS.includes(name)) problems.push(`containerProps.${name} would replace the bubble's content; ${IGNORED}.`);
    else if (name === 'className' && typeof value !== 'string') wrong('containerProps.className', 'a string', value, IGNORED);
    else if (name === 'style' && typeof value !== 'string' && !isPlainObject(value))
      wrong('containerProps.style', 'a CSS string or an object', value, IGNORED);
    else if (/^on/i.test(name) && typeof value !== 'function') wrong(`containerProps.${name}`, 'a function', value, IGNORED);
    else config.containerProps[name] = value;
  }
  if (raw.nonce !== undefined) {
    if (typeof raw.nonce === 'string' && raw.nonce) config.nonce = raw.nonce;
    else wrong('"nonce"', 'a non-empty string', raw.nonce, IGNORED);
  }
  const { conversation_id: conversationId } = config.systemVariables;
  if (conversationId !== undefined && !UUID.test(conversationId)) {
    wrong('systemVariables.conversation_id', 'a UUID', conversationId, IGNORED);
    delete config.systemVariables.conversation_id;
  }
  const { avatar_url: avatar } = config.userVariables;
  if (avatar !== undefined && !httpUrl(avatar)) {
    wrong('userVariables.avatar_url', 'an http(s) URL', avatar, IGNORED);
    delete config.userVariables.avatar_url;
  }
  return { config: token === null ? null : config, problems };
}

function readToken(
  value: unknown,
  problems: string[],
  wrong: (what: string, expected: string, value: unknown, outcome: string) => void,
): string | null {
  if (value === undefined || value === '') {
    problems.push(`difyChatbotConfig is empty or token is not provided; ${NOT_SHOWN}.`);
    return null;
  }
  if (typeof value !== 'string') {
    wrong('"token"', 'a string', value, NOT_SHOWN);
    return null;
  }
  const token = value.trim();
  if (SECRET_KEY.test(token)) {
    problems.push(
      `"token" is a secret API key (app-…): anyone can read it in a web page. Rotate it in Dify and use the app's public ` +
        `site token (from its /chatbot/<token> URL). Nothing was sent; ${NOT_SHOWN}.`,
    );
    return null;
  }
  if (!/^[\w-]+$/.test(token)) {
    wrong('"token"', 'a site token (letters, digits, - and _)', token, NOT_SHOWN);
    return null;
  }
  return token;
}
