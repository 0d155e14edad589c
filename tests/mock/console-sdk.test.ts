import { ChatClient, CompletionClient } from 'dify-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Console, startConsole } from './console-helpers.ts';

/** Dify's official Node SDK (dify-client on npm) against the mock's /v1, as a third party would use it. */

let c: Console;
let chat: InstanceType<typeof ChatClient>;
beforeAll(async () => {
  c = await startConsole();
  chat = new ChatClient(await c.newKey('demo-chat'), `${c.server.url}/v1`);
});
afterAll(async () => c?.server.close());

function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

describe('dify-client against the mock', () => {
  it('asks, lists, renames and deletes', async () => {
    const answer = await chat.createChatMessage({}, 'hello from the SDK', 'sdk-user', false);
    expect(answer.status).toBe(200);
    expect(answer.data.answer).toContain('You asked: “hello from the SDK”');
    const conversationId = answer.data.conversation_id as string;

    const followUp = await chat.createChatMessage({}, 'and again', 'sdk-user', false, conversationId);
    expect(followUp.data.conversation_id).toBe(conversationId);

    const messages = await chat.getConversationMessages('sdk-user', conversationId);
    expect(messages.data.data.map((m: { query: string }) => m.query)).toEqual(['hello from the SDK', 'and again']);
    const conversations = await chat.getConversations('sdk-user');
    expect(conversations.data.data.map((x: { id: string }) => x.id)).toEqual([conversationId]);

    // The SDK's own .d.ts lags its code (a numeric rating, no auto_generate): call what the code takes.
    const untyped = chat as any;
    expect((await untyped.messageFeedback(messages.data.data[0].id, 'like', 'sdk-user')).data).toEqual({ result: 'success' });
    expect((await untyped.renameConversation(conversationId, 'From the SDK', 'sdk-user', false)).data.name).toBe('From the SDK');
    expect((await chat.deleteConversation(conversationId, 'sdk-user')).status).toBe(204);
    expect((await chat.getConversations('sdk-user')).data.data).toEqual([]);
  });

  it('streams', async () => {
    const res = await chat.createChatMessage({}, 'stream please', 'sdk-user', true);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const text = await readStream(res.data as NodeJS.ReadableStream);
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => JSON.parse(block.slice(6)) as { event: string });
    expect(events.at(-1)?.event).toBe('message_end');
  });

  it('reads the parameters', async () => {
    const res = await chat.getApplicationParameters('sdk-user');
    expect(res.data.suggested_questions).toBeInstanceOf(Array);
  });

  it('runs a completion and a workflow', async () => {
    const completionId = (await c.call('POST', '', { name: 'SDK writer', mode: 'completion' })).json.id as string;
    const workflowId = (await c.call('POST', '', { name: 'SDK flow', mode: 'workflow' })).json.id as string;
    const completion = new CompletionClient(await c.newKey(completionId), `${c.server.url}/v1`);
    const written = await completion.createCompletionMessage({ query: 'a poem' }, 'sdk-user', false);
    expect(written.data.answer).toContain('a poem');
    const flow = new CompletionClient(await c.newKey(workflowId), `${c.server.url}/v1`);
    const run = await (flow as any).runWorkflow({ query: 'go' }, 'sdk-user', false);
    expect(run.data.data.status).toBe('succeeded');
  });

  it('surfaces Dify errors as the SDK callers expect (axios rejects with the body)', async () => {
    const bad = new ChatClient('app-NotARealKeyAtAll0000000', `${c.server.url}/v1`);
    await expect(bad.createChatMessage({}, 'hi', 'sdk-user', false)).rejects.toMatchObject({
      response: { status: 401, data: { code: 'unauthorized', message: 'Access token is invalid', status: 401 } },
    });
  });
});
