import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../../demo/server/server.ts';
import { admin, client, type Client, type Ev, passport, readAll, start } from './helpers.ts';

/*
 * What chat and agent apps' `message_end` carries per era (docs/PROTOCOL.md §3.3.1 and newer
 * releases): full metadata until 1.13.0, stripped from 1.13.1 with two retriever-resource shapes,
 * `files` as a list from 1.13.1; and the non-chat-app error code of suggested questions.
 */
let server: MockServer;
let base: string;
let chat: Client;
let token: string;

beforeAll(async () => {
  server = await start();
  base = server.url;
  token = await passport(base, 'demo-chat', 'era-meta');
  chat = client(base, token);
});
afterAll(() => server.close());
beforeEach(() => admin(base, 'POST', '/reset'));

async function setEra(key: string, era: string): Promise<void> {
  const res = await admin(base, 'POST', `/apps/${key}`, { era });
  if (res.status !== 200) throw new Error(`era ${res.status}: ${await res.text()}`);
}

const endOf = (events: Ev[]): Ev => events.find((e) => e.event === 'message_end')!;

const FULL_RESOURCE = [
  'position',
  'dataset_id',
  'dataset_name',
  'document_id',
  'document_name',
  'data_source_type',
  'segment_id',
  'retriever_from',
  'score',
  'hit_count',
  'word_count',
  'segment_position',
  'index_node_hash',
  'content',
  'page',
  'doc_metadata',
  'title',
  'files',
  'summary',
];
const SHORT_RESOURCE = ['segment_id', 'position', 'document_name', 'score', 'content', 'summary'];
const WIDE_RESOURCE = [
  'dataset_id',
  'dataset_name',
  'document_id',
  'segment_id',
  'position',
  'data_source_type',
  'document_name',
  'score',
  'hit_count',
  'word_count',
  'segment_position',
  'index_node_hash',
  'content',
  'page',
  'title',
  'files',
  'summary',
];

describe('message_end.metadata per era', () => {
  it.each([
    ['1.12', FULL_RESOURCE],
    ['1.13.0', FULL_RESOURCE],
  ])('%s: usage, annotation_reply and full retriever resources reach the web client', async (era, fields) => {
    await setEra('demo-chat', era);
    const end = endOf((await readAll(await chat.chat({ query: 'citations please' }))).events);
    const metadata = end.metadata as Record<string, any>;
    expect(Object.keys(metadata).sort()).toEqual(['annotation_reply', 'retriever_resources', 'usage']);
    expect(Object.keys(metadata.retriever_resources[0])).toEqual(fields);
    expect(end.files).toBeNull();
  });

  it.each([
    ['1.13.1', SHORT_RESOURCE],
    ['1.16', WIDE_RESOURCE],
  ])('%s: only slimmed retriever resources, no usage, no annotation_reply', async (era, fields) => {
    await setEra('demo-chat', era);
    const end = endOf((await readAll(await chat.chat({ query: 'citations please' }))).events);
    const metadata = end.metadata as Record<string, any>;
    expect(Object.keys(metadata)).toEqual(['retriever_resources']);
    expect(metadata.retriever_resources).toHaveLength(2);
    for (const resource of metadata.retriever_resources) expect(Object.keys(resource)).toEqual(fields);
    expect(metadata.retriever_resources[0].document_name).toBe('refund-policy.md');
  });

  it('1.16: an annotation reply no longer says so in the stream', async () => {
    await setEra('demo-chat', '1.16');
    const end = endOf((await readAll(await chat.chat({ query: 'annotation' }))).events);
    expect(end.metadata).toEqual({ retriever_resources: [] });
  });

  it('1.16: history keeps the stored metadata and resources; blocking answers are stripped like streams', async () => {
    await setEra('demo-chat', '1.16');
    const { events } = await readAll(await chat.chat({ query: 'citations please' }));
    const list = (await (await chat.get(`/api/messages?conversation_id=${events[0]!.conversation_id}`)).json()) as {
      data: Record<string, any>[];
    };
    expect(list.data[0]!.metadata).toHaveProperty('usage');
    expect(list.data[0]!.retriever_resources).toHaveLength(2);
    const blocking = (await (await chat.chat({ query: 'citations please', response_mode: 'blocking' })).json()) as Record<string, any>;
    expect(Object.keys(blocking.metadata)).toEqual(['retriever_resources']);
  });
});

describe('message_end.files per era', () => {
  async function uploadNote(): Promise<string> {
    const fd = new FormData();
    fd.append('file', new Blob(['my notes'], { type: 'text/plain' }), 'notes.txt');
    const res = await fetch(`${base}/api/files/upload`, { method: 'POST', headers: { 'X-App-Passport': token }, body: fd });
    return ((await res.json()) as { id: string }).id;
  }
  const withFile = (id: string) => ({
    query: 'hello',
    files: [{ type: 'document', transfer_method: 'local_file', upload_file_id: id, url: '' }],
  });

  it("1.16: a list of the message's files, the visitor's own upload included; null without files", async () => {
    await setEra('demo-chat', '1.16');
    const id = await uploadNote();
    const end = endOf((await readAll(await chat.chat(withFile(id)))).events);
    expect(end.files).toEqual([
      {
        related_id: expect.any(String),
        extension: '.txt',
        filename: 'notes.txt',
        size: 8,
        mime_type: 'text/plain',
        transfer_method: 'local_file',
        type: 'document',
        url: expect.stringContaining(`/files/${id}/file-preview?`),
        upload_file_id: id,
        remote_url: null,
      },
    ]);
    expect(endOf((await readAll(await chat.chat({ query: 'no files' }))).events).files).toBeNull();
  });

  it('1.13.0: still null for chat apps', async () => {
    await setEra('demo-chat', '1.13.0');
    const end = endOf((await readAll(await chat.chat(withFile(await uploadNote())))).events);
    expect(end.files).toBeNull();
  });

  it("1.16: an agent's tool file is listed too", async () => {
    await setEra('demo-agent', '1.16');
    const agent = client(base, await passport(base, 'demo-agent', 'era-meta'));
    const end = endOf((await readAll(await agent.chat({ query: 'draw an image' }))).events);
    expect(end.files).toEqual([expect.objectContaining({ transfer_method: 'tool_file', type: 'image', mime_type: 'image/png' })]);
  });
});

describe('a completion app on the chat endpoints', () => {
  it('chat-messages and history answer not_chat_app; suggested questions not_completion_app on 1.12, not_chat_app from 1.13.1', async () => {
    const writer = client(base, await passport(base, 'demo-completion', 'era-meta'));
    const chatRes = await writer.chat({ query: 'hi' });
    expect(chatRes.status).toBe(400);
    expect(((await chatRes.json()) as { code: string }).code).toBe('not_chat_app');
    const history = await writer.get('/api/messages?conversation_id=00000000-0000-4000-8000-000000000000');
    expect(((await history.json()) as { code: string }).code).toBe('not_chat_app');
    const suggested = () => writer.get('/api/messages/00000000-0000-4000-8000-000000000000/suggested-questions');
    expect(await (await suggested()).json()).toMatchObject({ code: 'not_chat_app', status: 400 });
    await setEra('demo-completion', '1.12');
    expect(await (await suggested()).json()).toMatchObject({ code: 'not_completion_app', status: 400 });
  });
});
