import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/api/stream-events.ts';
import type { HistoryMessage } from '../../../src/api/types.ts';
import { answerFromHistory, emptyAnswer, type Answer } from '../../../src/state/answer.ts';
import { finishAnswer, isAnswerSettled, reduceAnswer } from '../../../src/state/reduce.ts';
import { fixtureEvents, type FixtureName } from '../api/helpers.ts';

const W = { conversation_id: 'C', message_id: 'M', created_at: 1737000000, task_id: 'T' };

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Reduce with frozen inputs: any mutation throws (ESM is strict mode). */
function reduceAll(events: StreamEvent[], start: Answer = emptyAnswer()): Answer {
  return events.reduce((a, e) => reduceAnswer(deepFreeze(a), deepFreeze(structuredClone(e))), start);
}
const replay = (name: FixtureName) => reduceAll(fixtureEvents(name));

const ev = (event: string, fields: Record<string, unknown> = {}) => ({ event, ...W, ...fields }) as StreamEvent;
const message = (answer: string) => ev('message', { id: 'M', answer, from_variable_selector: null });
const messageEnd = (metadata: Record<string, unknown> = {}, files: unknown = null) => ev('message_end', { id: 'M', metadata, files });
const thought = (id: string, position: number, fields: Record<string, unknown> = {}) =>
  ev('agent_thought', {
    id,
    position,
    thought: '',
    observation: '',
    tool: '',
    tool_labels: {},
    tool_input: '',
    message_files: [],
    ...fields,
  });
const wfStarted = ev('workflow_started', { workflow_run_id: 'R', data: { id: 'R', workflow_id: 'W', inputs: {}, created_at: 1 } });
const wfFinished = (status: string, error: string | null = null) =>
  ev('workflow_finished', { workflow_run_id: 'R', data: { id: 'R', workflow_id: 'W', status, error, elapsed_time: 1.5, outputs: {} } });
const node = (event: string, id: string, fields: Record<string, unknown> = {}) =>
  ev(event, {
    workflow_run_id: 'R',
    data: { id, node_id: `n-${id}`, node_type: 'llm', title: `Node ${id}`, index: 1, iteration_id: null, loop_id: null, ...fields },
  });

describe('reduceAnswer, one event kind at a time', () => {
  const cases: Array<{ name: string; before?: StreamEvent[]; event: StreamEvent; expect: Partial<Answer> | ((a: Answer) => void) }> = [
    {
      name: 'message: first one records ids and starts streaming',
      event: message('Hel'),
      expect: { text: 'Hel', status: 'streaming', messageId: 'M', conversationId: 'C', taskId: 'T', createdAt: 1737000000 },
    },
    { name: 'message: appends in order', before: [message('Hel')], event: message('lo'), expect: { text: 'Hello' } },
    {
      name: 'message: the message id can come from `id` alone',
      event: { event: 'message', id: 'M9', answer: 'x' },
      expect: { messageId: 'M9' },
    },
    {
      name: 'agent_message: appends to text and to the last thought',
      before: [thought('th-1', 1)],
      event: ev('agent_message', { id: 'M', answer: 'It is' }),
      expect: (a) => {
        expect(a.text).toBe('It is');
        expect(a.thoughts[0]?.thought).toBe('It is');
      },
    },
    {
      name: 'agent_thought: inserted ordered by position',
      before: [thought('th-2', 2)],
      event: thought('th-1', 1, { tool: 'search' }),
      expect: (a) => expect(a.thoughts.map((t) => t.id)).toEqual(['th-1', 'th-2']),
    },
    {
      name: 'agent_thought: replaced by id, without touching text',
      before: [thought('th-1', 1), ev('agent_message', { answer: 'Done.' })],
      event: thought('th-1', 1, {
        thought: 'Done.',
        tool: 'a;b',
        tool_input: '{"a":{}}',
        observation: '{"a":1}',
        message_files: ['f1'],
        tool_labels: { a: { en_US: 'A' } },
      }),
      expect: (a) => {
        expect(a.text).toBe('Done.');
        expect(a.thoughts).toEqual([
          {
            id: 'th-1',
            position: 1,
            thought: 'Done.',
            tool: 'a;b',
            toolLabels: { a: { en_US: 'A' } },
            toolInput: '{"a":{}}',
            observation: '{"a":1}',
            fileIds: ['f1'],
          },
        ]);
      },
    },
    {
      name: 'agent_thought: an empty re-emission keeps the streamed thought; nulls become ""',
      before: [thought('th-1', 1), ev('agent_message', { answer: 'Hi' })],
      event: thought('th-1', 1, { thought: null, observation: null, tool: null, tool_labels: null, tool_input: null, message_files: null }),
      expect: (a) => expect(a.thoughts[0]).toMatchObject({ thought: 'Hi', tool: '', toolLabels: {}, fileIds: [] }),
    },
    {
      name: 'message_file: added, then replaced by id',
      before: [ev('message_file', { id: 'f1', type: 'image', belongs_to: 'assistant', url: '/files/old' })],
      event: ev('message_file', { id: 'f1', type: 'image', belongs_to: 'assistant', url: '/files/new' }),
      expect: { files: [{ id: 'f1', type: 'image', url: '/files/new', belongsTo: 'assistant' }] },
    },
    {
      name: 'message_replace: replaces the text and keeps the reason',
      before: [message('bad words')],
      event: ev('message_replace', { answer: 'Sorry, I cannot answer that.', reason: 'output_moderation' }),
      expect: { text: 'Sorry, I cannot answer that.', replacedReason: 'output_moderation' },
    },
    {
      name: 'message_end: chat/agent are done; metadata kept',
      before: [message('Hi')],
      event: messageEnd({
        annotation_reply: { id: 'an1', account: { id: 'u', name: 'Alice' } },
        retriever_resources: [{ position: 1, document_name: 'doc.md', content: 'c' }],
        usage: { total_tokens: 3 },
      }),
      expect: {
        status: 'done',
        gotMessageEnd: true,
        annotation: { id: 'an1', authorName: 'Alice' },
        retrieverResources: [{ position: 1, document_name: 'doc.md', content: 'c' }],
        usage: { total_tokens: 3 },
      },
    },
    { name: 'message_end: done even when nothing streamed before', event: messageEnd(), expect: { status: 'done' } },
    {
      name: 'message_end: chatflow files become assistant files',
      before: [wfStarted, wfFinished('succeeded')],
      event: messageEnd({}, [
        { related_id: 'uf1', type: 'image', url: '/files/tools/x.png', filename: 'x.png', mime_type: 'image/png' },
        { id: 'nourl' },
      ]),
      expect: {
        status: 'done',
        files: [{ id: 'uf1', type: 'image', url: '/files/tools/x.png', belongsTo: 'assistant', filename: 'x.png', mimeType: 'image/png' }],
      },
    },
    {
      name: 'error: terminal with code, message and status',
      before: [message('partial')],
      event: ev('error', { task_id: undefined, code: 'completion_request_error', status: 400, message: '[openai] Rate Limit Error' }),
      expect: {
        status: 'error',
        text: 'partial',
        error: { code: 'completion_request_error', message: '[openai] Rate Limit Error', status: 400 },
      },
    },
    {
      name: 'workflow_started: a running workflow, still waiting for text',
      event: wfStarted,
      expect: {
        status: 'waiting',
        workflow: { runId: 'R', status: 'running', nodes: [], iterations: [], agentLogs: [], forms: [], error: null },
      },
    },
    {
      name: 'node_started / node_finished: by execution id, merged',
      before: [wfStarted, node('node_started', 'NE1', { iteration_id: 'IT1', iteration_index: 2 })],
      event: node('node_finished', 'NE1', { status: 'failed', error: 'boom', elapsed_time: 0.5, iteration_id: 'IT1' }),
      expect: (a) =>
        expect(a.workflow?.nodes).toEqual([
          {
            id: 'NE1',
            nodeId: 'n-NE1',
            nodeType: 'llm',
            title: 'Node NE1',
            index: 1,
            status: 'failed',
            parentId: 'IT1',
            iterationIndex: 2,
            elapsedTime: 0.5,
            error: 'boom',
          },
        ]),
    },
    {
      name: 'node_started without workflow_started still builds a run',
      event: node('node_started', 'NE1'),
      expect: (a) => expect(a.workflow).toMatchObject({ runId: 'R', nodes: [{ id: 'NE1', status: 'running' }] }),
    },
    {
      name: 'node_retry: marks the node being retried',
      before: [wfStarted, node('node_started', 'NE1')],
      event: node('node_retry', 'NE1-retry', { node_id: 'n-NE1', status: 'retry', retry_index: 1, error: 'timeout' }),
      expect: (a) => expect(a.workflow?.nodes).toMatchObject([{ id: 'NE1', status: 'retry', retryIndex: 1, error: 'timeout' }]),
    },
    {
      name: 'iteration_started / next / completed',
      before: [
        wfStarted,
        ev('iteration_started', { data: { id: 'IT1', node_id: 'it', title: 'Loop over' } }),
        ev('iteration_next', { data: { id: 'IT1', node_id: 'it', index: 1 } }),
      ],
      event: ev('iteration_completed', { data: { id: 'IT1', node_id: 'it', status: 'succeeded', elapsed_time: 2, steps: 2 } }),
      expect: (a) =>
        expect(a.workflow?.iterations).toEqual([
          { id: 'IT1', kind: 'iteration', nodeId: 'it', title: 'Loop over', status: 'succeeded', index: 1, error: null, elapsedTime: 2 },
        ]),
    },
    {
      name: 'loop_next without an index counts up',
      before: [
        wfStarted,
        ev('loop_started', { data: { id: 'L1', node_id: 'lp', title: 'Loop' } }),
        ev('loop_next', { data: { id: 'L1', node_id: 'lp', pre_loop_output: {} } }),
      ],
      event: ev('loop_next', { data: { id: 'L1', node_id: 'lp' } }),
      expect: (a) => expect(a.workflow?.iterations).toMatchObject([{ id: 'L1', kind: 'loop', index: 2, status: 'running' }]),
    },
    {
      name: 'agent_log: replaced by id',
      before: [
        wfStarted,
        ev('agent_log', {
          data: { node_execution_id: 'NE1', id: 'log1', label: 'Round 1', parent_id: null, error: null, status: 'start', node_id: 'agent' },
        }),
      ],
      event: ev('agent_log', {
        data: { node_execution_id: 'NE1', id: 'log1', label: 'Round 1', parent_id: null, error: null, status: 'success', node_id: 'agent' },
      }),
      expect: (a) =>
        expect(a.workflow?.agentLogs).toEqual([
          { id: 'log1', nodeId: 'agent', nodeExecutionId: 'NE1', parentId: null, label: 'Round 1', status: 'success', error: null },
        ]),
    },
    {
      name: 'reasoning_chunk: appends data.reasoning',
      before: [ev('reasoning_chunk', { data: { message_id: 'M', reasoning: 'The user ', node_id: 'llm', is_final: false } })],
      event: ev('reasoning_chunk', { data: { message_id: 'M', reasoning: 'greeted me.', node_id: 'llm', is_final: true } }),
      expect: { reasoning: 'The user greeted me.', text: '', status: 'streaming' },
    },
    {
      name: 'text_chunk / text_replace (workflow apps) behave like message / message_replace',
      before: [ev('text_chunk', { data: { text: 'ab' } })],
      event: ev('text_replace', { data: { text: 'xy' } }),
      expect: { text: 'xy' },
    },
    {
      name: 'human_input_required then workflow_paused: paused with the form',
      before: [
        wfStarted,
        ev('human_input_required', {
          workflow_run_id: 'R',
          data: {
            form_id: 'F',
            form_token: 'tok',
            node_id: 'h',
            node_title: 'Approve',
            form_content: 'OK?',
            inputs: [],
            actions: [{ id: 'yes', title: 'Yes' }],
            expiration_time: 99,
          },
        }),
      ],
      event: ev('workflow_paused', {
        workflow_run_id: 'R',
        data: { workflow_run_id: 'R', status: 'paused', reasons: [{ TYPE: 'human_input_required' }] },
      }),
      expect: (a) => {
        expect(a.status).toBe('paused');
        expect(a.workflow?.status).toBe('paused');
        expect(a.workflow?.forms).toEqual([
          {
            formId: 'F',
            formToken: 'tok',
            nodeId: 'h',
            nodeTitle: 'Approve',
            content: 'OK?',
            inputs: [],
            actions: [{ id: 'yes', title: 'Yes' }],
            expirationTime: 99,
            state: 'required',
          },
        ]);
      },
    },
    {
      name: 'human_input_form_filled on the resumed stream: streaming again, form filled',
      before: [
        wfStarted,
        ev('human_input_required', {
          data: { form_id: 'F', form_token: 't', node_id: 'h', node_title: 'A', form_content: '', inputs: [], actions: [] },
        }),
        ev('workflow_paused', { data: { workflow_run_id: 'R', status: 'paused' } }),
      ],
      event: ev('human_input_form_filled', { data: { node_id: 'h', node_title: 'A', action_id: 'yes' } }),
      expect: (a) => {
        expect(a.status).toBe('streaming');
        expect(a.workflow?.forms[0]?.state).toBe('filled');
      },
    },
  ];

  it.each(cases)('$name', ({ before = [], event, expect: expected }) => {
    const answer = reduceAll([...before, event]);
    if (typeof expected === 'function') expected(answer);
    else expect(answer).toMatchObject(expected);
  });

  it.each([
    ['ping', { event: 'ping' }],
    ['tts_message', ev('tts_message', { audio: 'qqqq' })],
    ['tts_message_end', ev('tts_message_end', { audio: '' })],
    ['an unknown event', { event: 'something_new', conversation_id: 'X', message_id: 'Y' }],
    ['workflow_maintenance_paused', { event: 'workflow_maintenance_paused', workflow_run_id: 'R' }],
    ['parallel_branch_started', ev('parallel_branch_started', { data: {} })],
  ] as Array<[string, StreamEvent]>)('%s leaves the answer unchanged (same object)', (_name, event) => {
    const before = reduceAll([message('x')]);
    expect(reduceAnswer(before, event)).toBe(before);
  });

  it('records task_id from a later event and never takes a thought or file id as the message id', () => {
    const a = reduceAll([
      { event: 'agent_thought', id: 'th-1', position: 1 } as StreamEvent,
      { event: 'message_file', id: 'f1', type: 'image', url: 'u' } as StreamEvent,
      { event: 'workflow_started', task_id: 'T9', workflow_run_id: 'R', data: { id: 'R' } } as StreamEvent,
    ]);
    expect(a.messageId).toBeNull();
    expect(a.taskId).toBe('T9');
  });
});

describe('chatflow terminal order (docs/PROTOCOL.md §3.3.2)', () => {
  const start = [wfStarted, message('Tea')];

  it('1.12.1: workflow_finished then message_end', () => {
    const mid = reduceAll([...start, wfFinished('succeeded')]);
    expect(mid.status).toBe('streaming');
    expect(mid.gotWorkflowFinished).toBe(true);
    const end = reduceAnswer(mid, messageEnd({ usage: { total_tokens: 5 } }));
    expect(end).toMatchObject({ status: 'done', gotMessageEnd: true, gotWorkflowFinished: true, usage: { total_tokens: 5 } });
  });

  it('newest: message_end then workflow_finished', () => {
    const mid = reduceAll([...start, messageEnd()]);
    expect(mid.status).toBe('streaming');
    expect(mid.gotMessageEnd).toBe(true);
    const end = reduceAnswer(mid, wfFinished('succeeded'));
    expect(end).toMatchObject({ status: 'done', workflow: { status: 'succeeded', elapsedTime: 1.5 } });
  });

  it.each(['1.12.1', 'newest'])('a stopped run (%s order) ends as stopped', (order) => {
    const tail = order === 'newest' ? [messageEnd(), wfFinished('stopped')] : [wfFinished('stopped'), messageEnd()];
    expect(reduceAll([...start, ...tail]).status).toBe('stopped');
  });

  it('partial-succeeded is done', () => {
    expect(reduceAll([...start, wfFinished('partial-succeeded'), messageEnd()]).status).toBe('done');
  });

  it('failure: workflow_finished(failed) is an error at once; the error event that follows refines it', () => {
    const failed = reduceAll([...start, wfFinished('failed', 'node llm failed')]);
    expect(failed).toMatchObject({ status: 'error', error: { code: 'workflow_failed', message: 'node llm failed' }, text: 'Tea' });
    const refined = reduceAnswer(failed, ev('error', { code: 'invalid_param', status: 400, message: 'Run failed: node llm failed' }));
    expect(refined.error).toEqual({ code: 'invalid_param', status: 400, message: 'Run failed: node llm failed' });
  });
});

describe('recorded transcripts', () => {
  it('§6.4 chat', () => {
    expect(replay('chat')).toMatchObject({
      text: 'Hello! How can I help? 你好',
      status: 'done',
      messageId: 'f1d2c3b4-a5e6-4f70-8a9b-0c1d2e3f4a5b',
      conversationId: '8a2f6c1e-3b1d-4f8e-9a77-5e1c0c2b9d10',
      taskId: '0b7c6d5e-4f3a-4b2c-9d1e-8f7a6b5c4d3e',
      createdAt: 1737000000,
      usage: { total_tokens: 21, total_price: '0.0000072' },
      annotation: null,
      retrieverResources: [],
      workflow: null,
      error: null,
    });
  });

  it('§6.5 agent: the final thought does not duplicate the visible answer', () => {
    const a = replay('agent');
    expect(a.text).toBe('It is 04:01 UTC.');
    expect(a.status).toBe('done');
    expect(a.thoughts).toEqual([
      {
        id: 'th-1',
        position: 1,
        thought: '',
        tool: 'current_time',
        toolLabels: { current_time: { en_US: 'Current Time', zh_Hans: '获取当前时间' } },
        toolInput: '{"current_time": {"timezone": "UTC"}}',
        observation: '{"current_time": "2025-01-16 04:01:40 UTC"}',
        fileIds: [],
      },
      { id: 'th-2', position: 2, thought: 'It is 04:01 UTC.', tool: '', toolLabels: {}, toolInput: '', observation: '', fileIds: [] },
    ]);
    expect(a).toMatchObject({ messageId: 'M', conversationId: 'C', taskId: 'T', usage: { total_tokens: 350 } });
  });

  it('§6.5 agent, live: agent_message streams into text and the last thought before its agent_thought arrives', () => {
    const events = fixtureEvents('agent');
    const afterFirstChunk = reduceAll(events.slice(0, 5));
    expect(afterFirstChunk.text).toBe('It is ');
    expect(afterFirstChunk.thoughts[1]?.thought).toBe('It is ');
    expect(afterFirstChunk.status).toBe('streaming');
  });

  it('§6.6 chatflow (1.12.1 order)', () => {
    const a = replay('chatflow');
    expect(a).toMatchObject({ text: 'Tea is a brewed drink.', status: 'done', gotMessageEnd: true, gotWorkflowFinished: true, files: [] });
    expect(a.workflow).toMatchObject({ runId: 'R', status: 'succeeded', error: null, elapsedTime: 1.81 });
    expect(a.workflow?.nodes.map((n) => [n.id, n.nodeType, n.status, n.elapsedTime])).toEqual([
      ['NE1', 'start', 'succeeded', 0.012],
      ['NE2', 'llm', 'succeeded', 1.73],
      ['NE3', 'answer', 'succeeded', 0.004],
    ]);
  });

  it('§6.3 docs chatflow (newest order, json.dumps spacing, reasoning)', () => {
    expect(replay('docs-chatflow-newest')).toMatchObject({
      text: ' I',
      reasoning: 'The user greeted me, so',
      status: 'done',
      workflow: { runId: 'wfr_abc123', status: 'succeeded' },
    });
  });

  it('newest server stream: reasoning, think tags in text, citations, emoji', () => {
    expect(replay('chatflow-newest')).toMatchObject({
      text: '<think>短</think>Grüße 👋🏽 — 你好！',
      reasoning: '用户问候，',
      status: 'done',
      retrieverResources: [{ document_name: 'tea.md', content: 'Tea… 茶' }],
      workflow: { nodes: [{ title: 'LLM 🤖', status: 'succeeded' }] },
    });
  });

  it('failing chatflow: error with the error event’s text, partial text kept', () => {
    const a = replay('chatflow-failed');
    expect(a).toMatchObject({
      status: 'error',
      text: 'Tea is',
      error: { code: 'invalid_param', status: 400, message: 'Run failed: [openai] Connection error.' },
      workflow: { status: 'failed', error: '[openai] Connection error.' },
    });
    expect(a.workflow?.nodes[1]).toMatchObject({ status: 'failed', error: '[openai] Connection error.' });
  });

  it('legacy json.dumps stream: \\uXXXX escapes and surrogate pairs decode', () => {
    expect(replay('legacy-json-dumps')).toMatchObject({
      text: '你好, café 😀👍🏽 — über',
      status: 'done',
      usage: { total_price: '1.8E-7' },
    });
  });

  it('§6.7 model error', () => {
    expect(replay('model-error')).toMatchObject({ status: 'error', error: { code: 'completion_request_error', status: 400 } });
  });
});

describe('after the answer settled', () => {
  it('a stopped answer keeps its partial text but still gets message_end metadata and ids', () => {
    const stopped = finishAnswer(reduceAll([message('Tea is')]), 'stopped');
    const after = reduceAll([message(' more'), messageEnd({ usage: { total_tokens: 9 } })], stopped);
    expect(after).toMatchObject({ status: 'stopped', text: 'Tea is', usage: { total_tokens: 9 }, gotMessageEnd: true });
  });

  it('done ignores later content and errors', () => {
    const done = reduceAll([message('a'), messageEnd()]);
    const after = reduceAll([message('b'), ev('error', { code: 'x', status: 500, message: 'late' })], done);
    expect(after).toMatchObject({ status: 'done', text: 'a', error: null });
  });
});

describe('finishAnswer', () => {
  it.each(['stopped', 'interrupted'] as const)('%s keeps partial content', (reason) => {
    const a = finishAnswer(reduceAll([message('half')]), reason);
    expect(a).toMatchObject({ status: reason, text: 'half' });
    expect(isAnswerSettled(a)).toBe(true);
  });

  it('works on a waiting answer and on a paused one', () => {
    expect(finishAnswer(emptyAnswer(), 'interrupted').status).toBe('interrupted');
    const paused = reduceAll([wfStarted, ev('workflow_paused', { data: { workflow_run_id: 'R', status: 'paused' } })]);
    expect(finishAnswer(paused, 'stopped').status).toBe('stopped');
  });

  it('does not override an answer the server already ended', () => {
    const done = reduceAll([message('x'), messageEnd()]);
    expect(finishAnswer(done, 'interrupted')).toBe(done);
    const failed = reduceAll([ev('error', { code: 'x', status: 400, message: 'm' })]);
    expect(finishAnswer(failed, 'stopped').status).toBe('error');
  });
});

describe('answerFromHistory (docs/PROTOCOL.md §2.7)', () => {
  const item: HistoryMessage = {
    id: 'M1',
    conversation_id: 'C1',
    parent_message_id: '00000000-0000-0000-0000-000000000000',
    inputs: { topic: 'tea' },
    query: 'What time is it?',
    answer: 'It is 04:01 UTC.',
    feedback: { rating: 'like' },
    retriever_resources: [{ position: 1, document_name: 'faq.md', content: 'c' }],
    created_at: 1737000100,
    agent_thoughts: [
      { id: 'th-2', position: 2, thought: 'It is 04:01 UTC.', tool: '', tool_labels: {}, tool_input: '', observation: '', files: [] },
      {
        id: 'th-1',
        position: 1,
        thought: null,
        tool: 'current_time',
        tool_labels: { current_time: { en_US: 'Current Time' } },
        tool_input: '{}',
        observation: '{}',
        files: ['F2'],
      },
    ],
    message_files: [
      { id: 'F1', type: 'image', url: '/files/u.png', belongs_to: 'user', filename: 'u.png', mime_type: 'image/png' },
      { id: 'F2', type: 'image', url: '/files/tools/a.png', belongs_to: 'assistant' },
    ],
    status: 'normal',
    error: null,
    metadata: { usage: { total_tokens: 350 }, annotation_reply: { id: 'AN', account: { name: 'Bob' } } },
  };

  it('splits files by belongs_to, orders thoughts, keeps feedback and citations', () => {
    const { question, answer } = answerFromHistory(item);
    expect(question).toEqual({
      messageId: 'M1',
      text: 'What time is it?',
      files: [{ id: 'F1', type: 'image', url: '/files/u.png', belongsTo: 'user', filename: 'u.png', mimeType: 'image/png' }],
      parentMessageId: null,
      createdAt: 1737000100,
      inputs: { topic: 'tea' },
    });
    expect(answer).toMatchObject({
      messageId: 'M1',
      conversationId: 'C1',
      text: 'It is 04:01 UTC.',
      files: [{ id: 'F2', type: 'image', url: '/files/tools/a.png', belongsTo: 'assistant' }],
      feedback: 'like',
      retrieverResources: [{ position: 1, document_name: 'faq.md', content: 'c' }],
      annotation: { id: 'AN', authorName: 'Bob' },
      usage: { total_tokens: 350 },
      status: 'done',
      error: null,
      gotMessageEnd: true,
    });
    expect(answer.thoughts.map((t) => [t.id, t.thought, t.fileIds])).toEqual([
      ['th-1', '', ['F2']],
      ['th-2', 'It is 04:01 UTC.', []],
    ]);
  });

  it('matches what the live agent stream produced', () => {
    const live = replay('agent');
    const { answer } = answerFromHistory({ ...item, id: 'M', conversation_id: 'C', agent_thoughts: [], message_files: [] });
    expect(answer.text).toBe(live.text);
  });

  it('status "error" gives an error answer that keeps the saved text', () => {
    const { answer } = answerFromHistory({ ...item, status: 'error', error: '[openai] Connection error.', answer: 'Half', feedback: null });
    expect(answer).toMatchObject({
      status: 'error',
      text: 'Half',
      feedback: null,
      error: { code: 'message_error', message: '[openai] Connection error.' },
    });
  });

  it('keeps a real parent id; tolerates missing lists and metadata', () => {
    const { question, answer } = answerFromHistory({
      ...item,
      parent_message_id: 'P1',
      agent_thoughts: null,
      message_files: null,
      retriever_resources: null,
      metadata: null,
    });
    expect(question.parentMessageId).toBe('P1');
    expect(answer).toMatchObject({ thoughts: [], files: [], retrieverResources: [], usage: null, annotation: null });
  });
});
