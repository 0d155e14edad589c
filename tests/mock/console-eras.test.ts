import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Console, startConsole } from './console-helpers.ts';
import { client, names, passport, readAll } from './helpers.ts';

/** Apps the console makes speak a Dify era like apps.json's (demo/server/eras.ts) through the web API. */

let c: Console;
afterEach(async () => c?.server.close());

async function webClient(mode: string) {
  const made = (await c.call('POST', '', { name: `A ${mode} app`, mode })).json as { id: string; site: { code: string } };
  return { id: made.id, web: client(c.server.url, await passport(c.server.url, made.site.code)) };
}

describe('console-made apps on the web API', () => {
  it('a New Agent app speaks 1.16: agent_thought and agent_message events, then message_end', async () => {
    c = await startConsole();
    const { web } = await webClient('agent');
    const { events } = await readAll(await web.chat({ query: 'What time is it?' }));
    expect(names(events)).toContain('agent_message');
    expect(names(events).at(-1)).toBe('message_end');
  });

  it('a workflow or completion app is not a chat app: chat-messages and history say not_chat_app', async () => {
    c = await startConsole();
    for (const mode of ['workflow', 'completion']) {
      const { web } = await webClient(mode);
      const chat = await web.chat({ query: 'hello' });
      expect(await chat.json(), mode).toMatchObject({ code: 'not_chat_app', status: 400 });
      expect(await (await web.get('/api/messages?conversation_id=')).json(), mode).toMatchObject({ code: 'not_chat_app' });
    }
  });

  it('an app saved before apps had eras comes back with the defaults a new app gets', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'console-eras-')), 'store.json');
    c = await startConsole({ dataFile });
    const { id } = await webClient('agent');
    await c.server.close();
    const file = join(dataFile, '..', 'console.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { apps: Record<string, unknown>[] };
    const app = saved.apps.find((a) => a.app_id === id)!;
    expect(app).toMatchObject({ era: '1.16', published: true, human_input: false });
    for (const field of ['era', 'published', 'human_input']) delete app[field];
    writeFileSync(file, JSON.stringify(saved));

    c = await startConsole({ dataFile });
    const code = (await c.call('GET', `/${id}`)).json.site.code as string;
    const { events } = await readAll(await client(c.server.url, await passport(c.server.url, code)).chat({ query: 'hi' }));
    expect(names(events)).toContain('agent_message');
  });
});
