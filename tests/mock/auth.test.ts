import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { client, decodeJwtPayload, passport, start, UUID_RE } from './helpers.ts';

let server: MockServer;
let base: string;

beforeAll(async () => {
  server = await start();
  base = server.url;
});
afterAll(() => server.close());

describe('GET /api/passport (docs/PROTOCOL.md §1.2)', () => {
  it('requires X-App-Code', async () => {
    const res = await fetch(`${base}/api/passport`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(await res.json()).toEqual({ code: 'unauthorized', message: 'X-App-Code header is missing.', status: 401 });
  });

  it('404s an unknown site code', async () => {
    const res = await fetch(`${base}/api/passport`, { headers: { 'X-App-Code': 'nope' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('not_found');
  });

  it('issues an HS256 JWT without exp, with Dify claims', async () => {
    const token = await passport(base, 'demo-chat');
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwtPayload(token);
    expect(Object.keys(claims)).toEqual(['iss', 'sub', 'app_id', 'app_code', 'end_user_id']);
    expect(claims.sub).toBe('Web API Passport');
    expect(claims.app_code).toBe('demo-chat');
    expect(claims.iss).toBe(claims.app_id);
    expect(claims.end_user_id).toMatch(UUID_RE);
    expect(claims).not.toHaveProperty('exp');
  });

  it('finds or creates the end user by user_id; no user_id always gives a new one', async () => {
    const endUser = async (token: string): Promise<string> =>
      ((await (await client(base, token).get('/api/site')).json()) as { end_user_id: string }).end_user_id;
    const a1 = await endUser(await passport(base, 'demo-chat', 'alice'));
    const a2 = await endUser(await passport(base, 'demo-chat', 'alice'));
    const b = await endUser(await passport(base, 'demo-chat', 'bob'));
    const anon1 = await endUser(await passport(base, 'demo-chat'));
    const anon2 = await endUser(await passport(base, 'demo-chat'));
    expect(a1).toBe(a2);
    expect(b).not.toBe(a1);
    expect(anon1).not.toBe(anon2);
    // End users are per app.
    expect(await endUser(await passport(base, 'demo-agent', 'alice'))).not.toBe(a1);
  });
});

describe('passport checks on protected endpoints (docs/PROTOCOL.md §1.3–1.4)', () => {
  const expect401 = async (res: Response, message: string): Promise<void> => {
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(await res.json()).toEqual({ code: 'unauthorized', message, status: 401 });
  };

  it('401 "App token is missing." without a passport', async () => {
    await expect401(await fetch(`${base}/api/site`, { headers: { 'X-App-Code': 'demo-chat' } }), 'App token is missing.');
  });

  it('401 "Invalid token." for garbage', async () => {
    await expect401(await fetch(`${base}/api/site`, { headers: { 'X-App-Passport': 'garbage' } }), 'Invalid token.');
    await expect401(await fetch(`${base}/api/site`, { headers: { 'X-App-Passport': 'a.b.c' } }), 'Invalid token.');
  });

  it('401 "Invalid token signature." for a tampered token', async () => {
    const token = await passport(base, 'demo-chat');
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.alloc(32, 7).toString('base64url')}`;
    await expect401(await fetch(`${base}/api/site`, { headers: { 'X-App-Passport': forged } }), 'Invalid token signature.');
  });

  it('accepts X-App-Passport and Authorization: Bearer (old servers)', async () => {
    const token = await passport(base, 'demo-chat');
    expect((await fetch(`${base}/api/site`, { headers: { 'X-App-Passport': token } })).status).toBe(200);
    expect((await fetch(`${base}/api/site`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('the app comes from the JWT, not X-App-Code', async () => {
    const token = await passport(base, 'demo-agent');
    const res = await fetch(`${base}/api/site`, { headers: { 'X-App-Passport': token, 'X-App-Code': 'demo-chat' } });
    expect(((await res.json()) as { site: { title: string } }).site.title).toContain('agent');
  });
});

describe('app info endpoints (docs/PROTOCOL.md §2.1–2.3)', () => {
  it('GET /api/site has the §2.1 shape', async () => {
    const token = await passport(base, 'demo-chat');
    const body = (await (await client(base, token).get('/api/site')).json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'app_id',
      'end_user_id',
      'enable_site',
      'site',
      'model_config',
      'plan',
      'can_replace_logo',
      'custom_config',
    ]);
    const site = body.site as Record<string, unknown>;
    for (const key of [
      'title',
      'chat_color_theme',
      'chat_color_theme_inverted',
      'icon_type',
      'icon',
      'icon_background',
      'icon_url',
      'description',
      'copyright',
      'privacy_policy',
      'input_placeholder',
      'custom_disclaimer',
      'default_language',
      'prompt_public',
      'show_workflow_steps',
      'use_icon_as_answer_icon',
    ]) {
      expect(site).toHaveProperty(key);
    }
    expect(site.chat_color_theme).toBe('#1C64F2');
    expect(site.icon).toBe('🤖');
    expect(body.enable_site).toBe(true);
  });

  it('GET /api/parameters per app', async () => {
    const chat = (await (await client(base, await passport(base, 'demo-chat')).get('/api/parameters')).json()) as Record<string, any>;
    expect(chat.opening_statement).toContain('{{name}}');
    expect(chat.suggested_questions).toHaveLength(3);
    expect(chat.suggested_questions_after_answer).toEqual({ enabled: true });
    expect(chat.retriever_resource).toEqual({ enabled: true });
    expect(chat.speech_to_text).toEqual({ enabled: false });
    expect(chat.user_input_form).toEqual([{ 'text-input': expect.objectContaining({ variable: 'name', required: false }) }]);
    expect(chat.system_parameters).toEqual(expect.objectContaining({ file_size_limit: 15, image_file_size_limit: 10 }));
    const flow = (await (await client(base, await passport(base, 'demo-flow')).get('/api/parameters')).json()) as Record<string, any>;
    expect(flow.user_input_form[0]['text-input']).toEqual(expect.objectContaining({ variable: 'topic', required: true, max_length: 48 }));
    expect(flow.user_input_form[1].select).toEqual(
      expect.objectContaining({ variable: 'tone', required: false, options: ['friendly', 'formal', 'playful'] }),
    );
  });

  it('GET /api/meta: a URL icon and an emoji icon for the agent', async () => {
    const body = (await (await client(base, await passport(base, 'demo-agent')).get('/api/meta')).json()) as {
      tool_icons: Record<string, unknown>;
    };
    expect(body.tool_icons.current_time).toBe(`${base}/console/api/workspaces/current/tool-provider/builtin/time/icon`);
    expect(body.tool_icons.image_generator).toEqual({ background: '#252525', content: '🎨' });
    const icon = await fetch(body.tool_icons.current_time as string);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('public endpoints need no passport', async () => {
    expect(await (await fetch(`${base}/api/webapp/access-mode?appCode=demo-chat`)).json()).toEqual({ accessMode: 'public' });
    const token = await passport(base, 'demo-chat', 'carol');
    const status = await fetch(`${base}/api/login/status?app_code=demo-chat&user_id=carol`, { headers: { 'X-App-Passport': token } });
    expect(await status.json()).toEqual({ logged_in: true, app_logged_in: true });
    const other = await fetch(`${base}/api/login/status?app_code=demo-chat&user_id=dave`, { headers: { 'X-App-Passport': token } });
    expect(await other.json()).toEqual({ logged_in: true, app_logged_in: false });
  });

  it('unknown /api routes 404 and wrong methods 405, in Dify JSON', async () => {
    const res = await fetch(`${base}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('not_found');
    const res405 = await fetch(`${base}/api/site`, { method: 'DELETE' });
    expect(res405.status).toBe(405);
    expect(((await res405.json()) as { code: string }).code).toBe('method_not_allowed');
  });
});

describe('CORS and version headers (docs/PROTOCOL.md §1.3, §7)', () => {
  it('answers a preflight', async () => {
    const res = await fetch(`${base}/api/chat-messages`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-app-code,x-app-passport',
      },
    });
    expect([200, 204]).toContain(res.status);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, X-App-Code, X-App-Passport, Authorization, X-CSRF-Token');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH, DELETE, OPTIONS');
  });

  it('echoes Origin and exposes the version headers on normal and error responses', async () => {
    const variants: Record<string, string>[] = [
      { Origin: 'https://shop.example', 'X-App-Code': 'demo-chat' },
      { Origin: 'https://shop.example' },
    ];
    for (const headers of variants) {
      const res = await fetch(`${base}/api/passport`, { headers });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-expose-headers')).toBe('X-Version, X-Env, X-Trace-Id, X-Workflow-Run-ID');
      expect(res.headers.get('x-version')).toBe('1.12.1');
      expect(res.headers.get('x-env')).toBe('PRODUCTION');
    }
  });
});
