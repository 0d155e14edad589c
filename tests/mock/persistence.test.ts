import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { client, passport, readAll, start } from './helpers.ts';

describe('persistence to a data file', () => {
  it('keeps end users, conversations and messages (and passports) across a restart', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'mock-data-')), 'nested', 'store.json');
    const first = await start({ dataFile });
    const token = await passport(first.url, 'demo-chat', 'persistent');
    const { events } = await readAll(await client(first.url, token).chat({ query: 'remember me' }));
    const conversationId = events[0]!.conversation_id as string;
    await first.close();
    expect(existsSync(dataFile)).toBe(true);
    expect(readFileSync(dataFile, 'utf8')).toContain('remember me');

    const second = await start({ dataFile });
    try {
      const c = client(second.url, token);
      const list = (await (await c.get('/api/conversations')).json()) as { data: { id: string }[] };
      expect(list.data.map((x) => x.id)).toEqual([conversationId]);
      const messages = (await (await c.get(`/api/messages?conversation_id=${conversationId}`)).json()) as {
        data: { query: string; answer: string }[];
      };
      expect(messages.data[0]!.query).toBe('remember me');
      expect(messages.data[0]!.answer).toContain('You asked');
      // The same user_id maps to the same end user after the restart.
      const again = client(second.url, await passport(second.url, 'demo-chat', 'persistent'));
      expect(((await (await again.get('/api/conversations')).json()) as { data: unknown[] }).data).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('close() ends open streams promptly', async () => {
    const server = await start({ tokenDelayMs: 50 });
    const res = await client(server.url, await passport(server.url, 'demo-chat')).chat({ query: 'a long answer' });
    const reading = readAll(res);
    const t0 = Date.now();
    await server.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    const { events } = await reading;
    expect(events.map((e) => e.event)).not.toContain('message_end');
  });
});
