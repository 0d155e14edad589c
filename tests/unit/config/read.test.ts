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
      },
    });
  });

  it('reports unknown options but still starts', () => {
    const result = readConfig({ ...ok, colour: 'red' });
    expect(result.config).not.toBeNull();
    expect(result.problems).toEqual(['Unknown option "colour" is ignored.']);
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
    [{ baseUrl: 'dify.example.com' }, 'https://udify.app', 'https://udify.app/api', 1],
    [{ baseUrl: 'javascript:alert(1)' }, 'https://udify.app', 'https://udify.app/api', 1],
    [{ baseUrl: 7 }, 'https://udify.app', 'https://udify.app/api', 1],
    [{ isDev: 'yes' }, 'https://udify.app', 'https://udify.app/api', 1],
    [{ baseUrl: 'https://a.example', apiBaseUrl: 'https://api.example/v' }, 'https://a.example', 'https://api.example/v', 0],
    [{ apiBaseUrl: 'nope' }, 'https://udify.app', 'https://udify.app/api', 1],
  ])('%j → %s', (extra, baseUrl, apiBase, problemCount) => {
    const result = readConfig({ ...ok, ...extra });
    expect(result.config?.baseUrl).toBe(baseUrl);
    expect(result.config?.apiBase).toBe(apiBase);
    expect(result.problems).toHaveLength(problemCount);
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
});

describe('readConfig: inputs, systemVariables, userVariables', () => {
  it('keeps string, number and boolean inputs and drops the rest with a message each', () => {
    const result = readConfig({ ...ok, inputs: { name: 'Ada', age: 36, vip: true, tags: ['a'], nested: { a: 1 }, nan: NaN } });
    expect(result.config?.inputs).toEqual({ name: 'Ada', age: 36, vip: true });
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toMatch(/inputs\.tags must be a string, number or boolean/);
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
    expect(result.problems).toEqual([expect.stringMatching(/systemVariables\.app_id is not used/)]);
  });

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
