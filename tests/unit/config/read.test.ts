import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read.ts';

const ok = { token: 'AbCdEf0123456789' };

describe('readConfig: the whole object', () => {
  it.each([
    ['undefined', undefined, /not set/],
    ['null', null, /must be an object, not null/],
    ['a string', 'abc', /must be an object, not "abc"/],
    ['an array', [], /must be an object, not an array/],
  ])('refuses %s without throwing', (_name, raw, message) => {
    const result = readConfig(raw);
    expect(result.config).toBeNull();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(message);
  });

  it('fills every default for a minimal config, with no problems', () => {
    expect(readConfig(ok)).toEqual({
      problems: [],
      config: {
        token: 'AbCdEf0123456789',
        baseUrl: 'https://udify.app',
        apiBase: 'https://udify.app/api',
        inputs: {},
        systemVariables: {},
        userVariables: {},
        containerProps: {},
        draggable: false,
        dragAxis: 'both',
        dynamicScript: false,
        prefetch: true,
        images: 'all',
        storage: 'local',
      },
    });
  });

  it('reports unknown options but still starts', () => {
    const result = readConfig({ ...ok, colour: 'red' });
    expect(result.config).not.toBeNull();
    expect(result.problems).toEqual(['Unknown option "colour" is ignored.']);
  });

  it.each([
    ['dragable', 'draggable'],
    ['draggble', 'draggable'],
    ['baseURL', 'baseUrl'],
    ['apiBaseURL', 'apiBaseUrl'],
    ['drag_axis', 'dragAxis'],
    ['userVariable', 'userVariables'],
    ['imges', 'images'],
    ['Storage', 'storage'],
  ])('an unknown %s names the option it most likely meant, %s, and the widget still starts', (typo, meant) => {
    const result = readConfig({ ...ok, [typo]: true });
    expect(result.config).not.toBeNull();
    expect(result.problems).toEqual([`Unknown option "${typo}" is ignored; did you mean "${meant}"?`]);
  });

  it('names the nearest key inside systemVariables and userVariables too', () => {
    const result = readConfig({ ...ok, systemVariables: { userId: 'u1' }, userVariables: { avatar: 'x' } });
    expect(result.problems).toEqual([
      'Unknown option "systemVariables.userId" is ignored; did you mean "systemVariables.user_id"?',
      'Unknown option "userVariables.avatar" is ignored.',
    ]);
    expect(result.config?.systemVariables).toEqual({});
  });
});

describe('readConfig: token', () => {
  it.each([
    ['missing', {}, /token is not provided/],
    ['empty', { token: '' }, /token is not provided/],
    ['a number', { token: 42 }, /"token" must be a string, not a number/],
    ['with markup', { token: '<img src=x>' }, /must be a site token/],
  ])('%s: nothing mounts, one message', (_name, raw, message) => {
    const result = readConfig(raw);
    expect(result.config).toBeNull();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(message);
  });

  it('refuses a secret API key and says why', () => {
    const result = readConfig({ token: 'app-4d2Fq8ZkLmN0pQrStUvWxYz1' });
    expect(result.config).toBeNull();
    expect(result.problems[0]).toMatch(/secret API key/);
    expect(result.problems[0]).toMatch(/Nothing was sent/);
  });

  it('accepts site tokens with dashes and underscores (and trims spaces)', () => {
    expect(readConfig({ token: ' demo-chat_1 ' }).config?.token).toBe('demo-chat_1');
  });
});

describe('readConfig: baseUrl, isDev, apiBaseUrl', () => {
  it.each([
    [{ baseUrl: 'https://dify.example.com/' }, 'https://dify.example.com', 'https://dify.example.com/api', 0],
    [{ baseUrl: 'http://localhost:3000' }, 'http://localhost:3000', 'http://localhost:3000/api', 0],
    [{ isDev: true }, 'https://dev.udify.app', 'https://dev.udify.app/api', 0],
    [{ isDev: true, baseUrl: 'https://x.example' }, 'https://x.example', 'https://x.example/api', 0],
    [{ isDev: 'yes' }, 'https://udify.app', 'https://udify.app/api', 1],
    [{ baseUrl: 'https://a.example', apiBaseUrl: 'https://api.example/v' }, 'https://a.example', 'https://api.example/v', 0],
    [
      { baseUrl: 'https://dify.example.com/proxy/dify//' },
      'https://dify.example.com/proxy/dify',
      'https://dify.example.com/proxy/dify/api',
      0,
    ],
  ])('%j → %s', (extra, baseUrl, apiBase, problemCount) => {
    const result = readConfig({ ...ok, ...extra });
    expect(result.config?.baseUrl).toBe(baseUrl);
    expect(result.config?.apiBase).toBe(apiBase);
    expect(result.problems).toHaveLength(problemCount);
  });

  it.each([
    ['baseUrl', 'https://user:secret@dify.example.com'],
    ['baseUrl', 'https://user@dify.example.com'],
    ['baseUrl', 'https://:secret@dify.example.com'],
    ['baseUrl', 'https://dify.example.com/?next=/'],
    ['baseUrl', 'https://dify.example.com?'],
    ['baseUrl', 'https://dify.example.com/#top'],
    ['baseUrl', 'ftp://dify.example.com'],
    ['baseUrl', 'javascript:alert(1)'],
    ['baseUrl', 'dify.example.com'],
    ['baseUrl', 7],
    ['apiBaseUrl', 'https://api.example/v1?key=1'],
    ['apiBaseUrl', 'https://me:pw@api.example'],
    ['apiBaseUrl', 'nope'],
  ])('%s %j: refused, nothing starts, one error naming the option', (key, value) => {
    const result = readConfig({ ...ok, [key]: value });
    expect(result.config).toBeNull();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(
      new RegExp(
        `^"${key}" must be an http\\(s\\) URL with no user name, password, query or fragment, not .*; the chatbot is not shown\\.$`,
      ),
    );
  });
});

describe('readConfig: booleans and dragAxis', () => {
  it('prefetch defaults to true and can be turned off', () => {
    expect(readConfig(ok).config?.prefetch).toBe(true);
    expect(readConfig({ ...ok, prefetch: false }).config?.prefetch).toBe(false);
    expect(readConfig({ ...ok, prefetch: 'no' }).problems).toEqual(['"prefetch" must be true or false, not "no"; using true.']);
  });

  it.each(['draggable', 'dynamicScript'] as const)('%s: valid, invalid, missing', (key) => {
    expect(readConfig({ ...ok, [key]: true }).config?.[key]).toBe(true);
    expect(readConfig(ok).config?.[key]).toBe(false);
    const bad = readConfig({ ...ok, [key]: 'true' });
    expect(bad.config?.[key]).toBe(false);
    expect(bad.problems).toEqual([`"${key}" must be true or false, not "true"; using false.`]);
  });

  it.each([
    ['x', 'x', 0],
    ['y', 'y', 0],
    ['both', 'both', 0],
    [undefined, 'both', 0],
    ['diagonal', 'both', 1],
    [1, 'both', 1],
  ])('dragAxis %j → %s', (value, expected, problems) => {
    const result = readConfig({ ...ok, dragAxis: value });
    expect(result.config?.dragAxis).toBe(expected);
    expect(result.problems).toHaveLength(problems);
  });

  it('names the allowed dragAxis values', () => {
    expect(readConfig({ ...ok, dragAxis: 'diagonal' }).problems).toEqual([
      '"dragAxis" must be "both" or "x" or "y", not "diagonal"; using "both".',
    ]);
  });
});

describe('readConfig: images and storage', () => {
  it.each(['all', 'dify', 'none'])('images %j is kept', (images) => {
    const result = readConfig({ ...ok, images });
    expect(result.config?.images).toBe(images);
    expect(result.problems).toEqual([]);
  });

  it('keeps a list of origins, as the URL parser writes them, in a copy the page cannot change later', () => {
    const origins = ['https://cdn.example.com', 'http://localhost:8080/', 'https://CDN2.example.com:443'];
    const result = readConfig({ ...ok, images: origins });
    origins.push('https://tracker.example');
    expect(result.config?.images).toEqual(['https://cdn.example.com', 'http://localhost:8080', 'https://cdn2.example.com']);
    expect(result.problems).toEqual([]);
  });

  it.each([
    ['a misspelt policy', 'dfiy', '"dfiy"'],
    ['a boolean', false, 'a boolean'],
    ['a list with a path', ['https://cdn.example.com/images'], 'an array'],
    ['a list with a host alone', ['cdn.example.com'], 'an array'],
    ['a list with a non-http scheme', ['data:'], 'an array'],
  ])('%s falls back to "none", the most private choice, with one message', (_name, images, shown) => {
    const result = readConfig({ ...ok, images });
    expect(result.config?.images).toBe('none');
    expect(result.problems).toEqual([
      `"images" must be "all" or "dify" or "none" or a list of origins (https://cdn.example.com), not ${shown}; using "none".`,
    ]);
  });

  it.each(['local', 'session', 'memory'])('storage %j is kept', (storage) => {
    expect(readConfig({ ...ok, storage }).config?.storage).toBe(storage);
  });

  it('a wrong storage keeps nothing in the page\'s storage ("memory"), with one message', () => {
    const result = readConfig({ ...ok, storage: 'cookie' });
    expect(result.config?.storage).toBe('memory');
    expect(result.problems).toEqual(['"storage" must be "local" or "session" or "memory", not "cookie"; using "memory".']);
  });
});

describe('readConfig: inputs, systemVariables, userVariables', () => {
  it("keeps JSON inputs: strings, numbers and booleans as Dify's snippet writes them, objects and lists for json_object and file variables", () => {
    const file = { type: 'image', transfer_method: 'remote_url', url: 'https://x.example/a.png' };
    const result = readConfig({ ...ok, inputs: { name: 'Ada', age: 36, vip: true, tags: ['a'], doc: { a: 1 }, photo: file, none: null } });
    expect(result.config?.inputs).toEqual({ name: 'Ada', age: 36, vip: true, tags: ['a'], doc: { a: 1 }, photo: file, none: null });
    expect(result.problems).toEqual([]);
  });

  it('keeps a copy of the inputs: a change the page makes later is not sent, and cannot add a cycle', () => {
    const doc: Record<string, unknown> = { a: 1 };
    const result = readConfig({ ...ok, inputs: { doc } });
    doc.self = doc;
    expect(result.config?.inputs).toEqual({ doc: { a: 1 } });
    expect(() => JSON.stringify(result.config?.inputs)).not.toThrow();
  });

  it('skips an input left undefined, without a message', () => {
    const result = readConfig({ ...ok, inputs: { name: undefined, age: 3 } });
    expect(result.config?.inputs).toEqual({ age: 3 });
    expect(result.problems).toEqual([]);
  });

  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  it.each([
    ['a function', () => 'x', 'a function'],
    ['a symbol', Symbol('x'), 'a symbol'],
    ['a BigInt', 10n, 'a bigint'],
    ['a cycle', cycle, 'an object'],
    ['a BigInt inside an object', { n: 1n }, 'an object'],
  ])('refuses %s with one clear message, and the widget still starts', (_name, value, shown) => {
    const result = readConfig({ ...ok, inputs: { bad: value, good: 'yes' } });
    expect(result.config?.inputs).toEqual({ good: 'yes' });
    expect(result.problems).toEqual([`inputs.bad must be JSON, not ${shown}; it is ignored.`]);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the input name %s with a warning', (name) => {
    // JSON.parse, as a config from a server would be, makes `__proto__` an own key.
    const result = readConfig({ ...ok, inputs: JSON.parse(`{"${name}": {"polluted": true}, "kept": 1}`) });
    expect(result.problems).toEqual([`inputs.${name} is not a variable name; it is ignored.`]);
    expect(Object.keys(result.config!.inputs)).toEqual(['kept']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ignores inputs that are not an object', () => {
    const result = readConfig({ ...ok, inputs: 'name=Ada' });
    expect(result.config?.inputs).toEqual({});
    expect(result.problems[0]).toMatch(/"inputs" must be an object/);
  });

  it('reads the three known system variables and reports others', () => {
    const result = readConfig({
      ...ok,
      systemVariables: { user_id: 'user-42', conversation_id: '8a2f6c1e-3b1d-4f8e-9a77-5e1c0c2b9d10', locale: 'zh-Hans', app_id: 'x' },
    });
    expect(result.config?.systemVariables).toEqual({
      user_id: 'user-42',
      conversation_id: '8a2f6c1e-3b1d-4f8e-9a77-5e1c0c2b9d10',
      locale: 'zh-Hans',
    });
    expect(result.problems).toEqual(['Unknown option "systemVariables.app_id" is ignored.']);
  });

  it.each(['en', 'en-US', 'en_GB', 'zh', 'zh-Hans', 'zh-CN', 'zh_Hant', 'ZH-hans'])(
    'a locale with a language pack, %s, is kept',
    (locale) => {
      const result = readConfig({ ...ok, systemVariables: { locale } });
      expect(result.config?.systemVariables.locale).toBe(locale);
      expect(result.problems).toEqual([]);
    },
  );

  it.each(['fr-FR', 'constructor', '__proto__', 'toString', 'english', 'zhuang'])(
    'a locale without a language pack, %s, falls back to English with a warning',
    (locale) => {
      const result = readConfig({ ...ok, systemVariables: { locale } });
      expect(result.config?.systemVariables.locale).toBe('en');
      expect(result.problems).toEqual([`systemVariables.locale must be a language the widget speaks, not "${locale}"; using English.`]);
    },
  );

  it('drops a conversation_id that is not a UUID (Dify requires one)', () => {
    const result = readConfig({ ...ok, systemVariables: { conversation_id: '123' } });
    expect(result.config?.systemVariables).toEqual({});
    expect(result.problems[0]).toMatch(/must be a UUID/);
  });

  it('accepts http(s) avatars only', () => {
    expect(readConfig({ ...ok, userVariables: { avatar_url: 'https://x.example/a.png', name: 'Ada' } }).config?.userVariables).toEqual({
      avatar_url: 'https://x.example/a.png',
      name: 'Ada',
    });
    const bad = readConfig({ ...ok, userVariables: { avatar_url: 'javascript:alert(1)' } });
    expect(bad.config?.userVariables).toEqual({});
    expect(bad.problems[0]).toMatch(/avatar_url must be an http\(s\) URL/);
  });

  it.each(['systemVariables', 'userVariables'])('%s must be an object', (key) => {
    const result = readConfig({ ...ok, [key]: [] });
    expect(result.config).not.toBeNull();
    expect(result.problems[0]).toMatch(new RegExp(`"${key}" must be an object`));
  });
});

describe('readConfig: containerProps', () => {
  it('keeps className, style, listeners and plain properties', () => {
    const onClick = () => {};
    const result = readConfig({ ...ok, containerProps: { className: 'a b', style: { opacity: '0.9' }, onClick, title: 'Chat' } });
    expect(result.config?.containerProps).toEqual({ className: 'a b', style: { opacity: '0.9' }, onClick, title: 'Chat' });
    expect(result.problems).toEqual([]);
  });

  it.each([
    [{ className: 3 }, /className must be a string/],
    [{ style: 3 }, /style must be a CSS string or an object/],
    [{ onClick: 'alert(1)' }, /onClick must be a function/],
    [{ innerHTML: '<b>x</b>' }, /would replace the bubble's content/],
  ])('refuses %j', (props, message) => {
    const result = readConfig({ ...ok, containerProps: props });
    expect(result.config?.containerProps).toEqual({});
    expect(result.problems[0]).toMatch(message);
  });

  it('refuses a non-object', () => {
    expect(readConfig({ ...ok, containerProps: 'big' }).problems[0]).toMatch(/"containerProps" must be an object/);
  });
});

describe('readConfig: nonce', () => {
  it('keeps a string nonce and refuses others', () => {
    expect(readConfig({ ...ok, nonce: 'r4nd0m' }).config?.nonce).toBe('r4nd0m');
    const bad = readConfig({ ...ok, nonce: 5 });
    expect(bad.config?.nonce).toBeUndefined();
    expect(bad.problems).toHaveLength(1);
  });
});
