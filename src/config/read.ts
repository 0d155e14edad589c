import { hasLanguage } from '../i18n/launcher-strings.ts';
import type { ContainerProps, ImagePolicy, InputValue, ResolvedConfig } from './types.ts';

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
  'token baseUrl isDev inputs systemVariables userVariables containerProps draggable dragAxis dynamicScript apiBaseUrl nonce prefetch images storage'.split(
    ' ',
  );
/** Property names that would let config replace the element's markup; refused on purpose. */
const FORBIDDEN_CONTAINER_PROPS = ['innerHTML', 'outerHTML', 'innerText', 'outerText', 'textContent'];
/** Names no Dify variable has, which would reach a prototype if the page or a later change merged `inputs` into an object. */
const FORBIDDEN_INPUTS = /^(__proto__|constructor|prototype)$/;
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
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : `a ${typeof value}`;
}

/** `value` parsed as an absolute http(s) URL, or null. */
function httpUrl(value: unknown): URL | null {
  try {
    const url = new URL(value as string);
    return /^https?:$/.test(url.protocol) ? url : null;
  } catch {
    return null;
  }
}

/** How many single-character edits turn `a` into `b` (Levenshtein), one row of the table at a time. */
function editDistance(a: string, b: string): number {
  let row = [...b, ''].map((_, j) => j);
  for (const char of a) {
    // The new row's cell to the left; `row` is still the previous row while map runs.
    let left = row[0]! + 1;
    row = row.map((above, j) => (j ? (left = Math.min(above + 1, left + 1, row[j - 1]! + (char === b[j - 1] ? 0 : 1))) : left));
  }
  return row[b.length]!;
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
  /** Reports an unknown key, with the known one it most likely meant: a typo, two edits away at most, case aside. */
  const unknown = (key: string, known: string[], parent = '') => {
    const nearest = known.find((name) => editDistance(key.toLowerCase(), name.toLowerCase()) < 3);
    problems.push(`Unknown option "${parent}${key}" is ignored${nearest ? `; did you mean "${parent}${nearest}"?` : '.'}`);
  };
  for (const key of Object.keys(raw)) if (!KNOWN_KEYS.includes(key)) unknown(key, KNOWN_KEYS);

  /** Set by what the widget must not start with: no token, a secret key, a URL it must not talk to. */
  let refused = false;
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
    // A user name or password would go with every request (and sit in every log); a query or
    // fragment would end up inside each API path. A typo must not send the token to another host.
    if (parsed && parsed.origin + parsed.pathname === parsed.href) return parsed.href.replace(/\/+$/, '');
    wrong(`"${key}"`, 'an http(s) URL with no user name, password, query or fragment', value, NOT_SHOWN);
    refused = true;
    return fallback;
  };
  /** One of `options`, the first being the default; any other value is reported and `onWrong` used. */
  const choice = <T extends string>(key: string, options: T[], onWrong: T, orElse = ''): T => {
    const value = raw[key] ?? options[0];
    if (options.includes(value as T)) return value as T;
    wrong(`"${key}"`, options.map((option) => `"${option}"`).join(' or ') + orElse, value, `using "${onWrong}"`);
    return onWrong;
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
      if (!known.includes(name)) unknown(name, known, `${key}.`);
      else if (typeof value === 'string' || typeof value === 'number') {
        if (String(value)) out[name] = String(value);
      } else wrong(`${key}.${name}`, 'a string', value, IGNORED);
    }
    return out;
  };

  /** The site token, or '' after reporting why there is none to start with. */
  const readToken = (value: unknown): string => {
    if (value === undefined || value === '') problems.push(`difyChatbotConfig is empty or token is not provided; ${NOT_SHOWN}.`);
    else if (typeof value !== 'string') wrong('"token"', 'a string', value, NOT_SHOWN);
    else if (SECRET_KEY.test(value.trim()))
      problems.push(
        `"token" is a secret API key (app-…): anyone can read it in a web page. Rotate it in Dify and use the app's public ` +
          `site token (from its /chatbot/<token> URL). Nothing was sent; ${NOT_SHOWN}.`,
      );
    else if (!/^[\w-]+$/.test(value.trim())) wrong('"token"', 'a site token (letters, digits, - and _)', value.trim(), NOT_SHOWN);
    else return value.trim();
    refused = true;
    return '';
  };

  const token = readToken(raw.token);
  // `images` as a list: each entry an origin alone (a trailing slash is fine), or '' to refuse the list.
  const origins = Array.isArray(raw.images)
    ? raw.images.map((entry) => {
        const url = httpUrl(entry);
        return url?.href === `${url?.origin}/` ? url.origin : '';
      })
    : undefined;
  const baseUrl = url('baseUrl', boolean('isDev', false) ? 'https://dev.udify.app' : 'https://udify.app');
  const config: ResolvedConfig = {
    token,
    baseUrl,
    apiBase: url('apiBaseUrl', `${baseUrl}/api`),
    inputs: {},
    systemVariables: strings('systemVariables', ['user_id', 'conversation_id', 'locale']),
    userVariables: strings('userVariables', ['avatar_url', 'name']),
    containerProps: {},
    draggable: boolean('draggable', false),
    dragAxis: choice('dragAxis', ['both', 'x', 'y'], 'both'),
    dynamicScript: boolean('dynamicScript', false),
    prefetch: boolean('prefetch', true),
    // A wrong value of a privacy option gets its most private choice, not the most open one.
    images: origins?.every(Boolean)
      ? origins
      : choice<ImagePolicy & string>('images', ['all', 'dify', 'none'], 'none', ' or a list of origins (https://cdn.example.com)'),
    storage: choice('storage', ['local', 'session', 'memory'], 'memory'),
  };

  for (const [name, value] of Object.entries(object('inputs'))) {
    try {
      // A copy as Dify will receive it: it cannot change (or grow a cycle) after this check. JSON
      // cannot carry a function, symbol, BigInt or cycle: parsing what stringify gave then throws.
      if (FORBIDDEN_INPUTS.test(name)) problems.push(`inputs.${name} is not a variable name; ${IGNORED}.`);
      else if (value !== undefined) config.inputs[name] = JSON.parse(JSON.stringify(value)) as InputValue;
    } catch {
      wrong(`inputs.${name}`, 'JSON', value, IGNORED);
    }
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
  const { conversation_id: conversationId, locale } = config.systemVariables;
  // English, built in, or a language of the part table (src/chat/part-table.ts).
  if (locale !== undefined && !hasLanguage(locale)) {
    wrong('systemVariables.locale', 'a language the widget speaks', locale, 'using English');
    config.systemVariables.locale = 'en';
  }
  if (conversationId !== undefined && !UUID.test(conversationId)) {
    wrong('systemVariables.conversation_id', 'a UUID', conversationId, IGNORED);
    delete config.systemVariables.conversation_id;
  }
  const { avatar_url: avatar } = config.userVariables;
  if (avatar !== undefined && !httpUrl(avatar)) {
    wrong('userVariables.avatar_url', 'an http(s) URL', avatar, IGNORED);
    delete config.userVariables.avatar_url;
  }
  return { config: refused ? null : config, problems };
}
