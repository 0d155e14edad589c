// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test } from 'vitest';
import type { StreamEvent } from '../../../../src/api/stream-events.ts';
import { answerEn } from '../../../../src/i18n/answer-strings.ts';
import { answerZhHans } from '../../../../src/i18n/answer-zh-hans.ts';
import { emptyAnswer, type LoopRun, type WorkflowNode, type WorkflowRun } from '../../../../src/state/answer.ts';
import { reduceAnswer } from '../../../../src/state/reduce.ts';
import { formatSeconds, WorkflowPanel, workflowTree, type LoopItem, type TreeItem } from '../../../../src/ui/answer/WorkflowPanel.tsx';

const containers: HTMLElement[] = [];
afterEach(() => {
  for (const c of containers.splice(0)) {
    render(null, c);
    c.remove();
  }
});
function container(): HTMLElement {
  const c = document.createElement('div');
  document.body.append(c);
  containers.push(c);
  return c;
}
function panel(workflow: WorkflowRun, props: { defaultOpen?: boolean; ended?: boolean; strings?: typeof answerEn } = {}): HTMLElement {
  const c = container();
  render(<WorkflowPanel workflow={workflow} strings={props.strings ?? answerEn} {...props} />, c);
  return c;
}

const W = { conversation_id: 'C', message_id: 'M', created_at: 1737000200, task_id: 'T', workflow_run_id: 'R' };
const ev = (event: string, data: Record<string, unknown>) => ({ event, ...W, data }) as StreamEvent;
const nodeData = (id: string, nodeId: string, type: string, title: string, index: number, extra: Record<string, unknown> = {}) => ({
  id,
  node_id: nodeId,
  node_type: type,
  title,
  index,
  predecessor_node_id: null,
  inputs: null,
  created_at: 1,
  extras: {},
  iteration_id: null,
  loop_id: null,
  ...extra,
});
const started = (...a: Parameters<typeof nodeData>) => ev('node_started', nodeData(...a));
const finished = (status: string, elapsed: number, error: string | null, ...a: Parameters<typeof nodeData>) =>
  ev('node_finished', { ...nodeData(...a), status, elapsed_time: elapsed, error });

/** The mock server's "iterate" chatflow (demo/server/scripts/chatflow.ts): children carry the iteration's execution id, no round index. */
function iterateEvents(rounds = 3, finish = true): StreamEvent[] {
  const events: StreamEvent[] = [
    ev('workflow_started', { id: 'R', workflow_id: 'W', inputs: {}, created_at: 1 }),
    started('NE1', 'start', 'start', 'Start', 1),
    finished('succeeded', 0.012, null, 'NE1', 'start', 'start', 'Start', 1),
    ev('iteration_started', {
      id: 'IT',
      node_id: 'iteration',
      node_type: 'iteration',
      title: 'Iteration',
      created_at: 1,
      extras: {},
      metadata: {},
      inputs: null,
    }),
  ];
  for (let i = 0; i < rounds; i++) {
    events.push(ev('iteration_next', { id: 'IT', node_id: 'iteration', node_type: 'iteration', title: 'Iteration', index: i }));
    events.push(started(`C${i}`, 'code', 'code', 'Code', 3, { iteration_id: 'IT' }));
    events.push(
      finished(i === 2 ? 'failed' : 'succeeded', 0.004, i === 2 ? 'division by zero' : null, `C${i}`, 'code', 'code', 'Code', 3, {
        iteration_id: 'IT',
      }),
    );
  }
  if (finish) {
    events.push(
      ev('iteration_completed', {
        id: 'IT',
        node_id: 'iteration',
        node_type: 'iteration',
        title: 'Iteration',
        status: 'succeeded',
        error: null,
        elapsed_time: 0.31,
        steps: rounds,
      }),
    );
    events.push(started('NE2', 'llm', 'llm', 'LLM', 4));
    events.push(finished('succeeded', 1.73, null, 'NE2', 'llm', 'llm', 'LLM', 4));
    events.push(ev('workflow_finished', { id: 'R', workflow_id: 'W', status: 'succeeded', error: null, elapsed_time: 2.046, outputs: {} }));
  }
  return events;
}
const runOf = (events: StreamEvent[]): WorkflowRun => events.reduce(reduceAnswer, emptyAnswer()).workflow!;

const rows = (root: Element) =>
  [...root.querySelectorAll(':scope > li')].map((li) => li.querySelector(':scope > .dcb-wf-row .dcb-wf-title')!.textContent);

describe('WorkflowPanel', () => {
  test('a collapsed <details> whose summary says Workflow, the status in text, and the elapsed time', () => {
    const c = panel(runOf(iterateEvents()));
    const details = c.querySelector('details.dcb-workflow')!;
    expect(details.hasAttribute('open')).toBe(false);
    const summary = details.querySelector('summary')!;
    expect(summary.textContent).toBe('WorkflowSucceeded2.05 s');
    expect(summary.querySelector('.dcb-workflow-status')!.textContent).toBe('Succeeded');
    expect(summary.querySelector('.dcb-status-ok')).not.toBeNull();
    expect(details.getAttribute('data-status')).toBe('succeeded');
  });

  test('defaultOpen opens it', () => {
    expect(panel(runOf(iterateEvents()), { defaultOpen: true }).querySelector('details')!.hasAttribute('open')).toBe(true);
  });

  test('nodes in order, each with title, type, status text and time', () => {
    const c = panel(runOf(iterateEvents()));
    const list = c.querySelector('.dcb-workflow-body > ol')!;
    expect(list.getAttribute('aria-label')).toBe('Workflow steps');
    expect(rows(list)).toEqual(['Start', 'Iteration', 'LLM']);
    const llm = list.querySelectorAll(':scope > li')[2]!;
    expect(llm.querySelector('.dcb-wf-type')!.textContent).toBe('llm');
    expect(llm.querySelector('.dcb-sr-only')!.textContent).toBe('Succeeded');
    expect(llm.querySelector('.dcb-elapsed')!.textContent).toBe('1.73 s');
    expect(list.querySelectorAll(':scope > li')[0]!.querySelector('.dcb-elapsed')!.textContent).toBe('0.01 s');
  });

  test('iteration children nested by round, with "Round n" and the failed node’s error', () => {
    const c = panel(runOf(iterateEvents()));
    const iteration = c.querySelector('.dcb-wf-loop')!;
    expect(iteration.querySelector('.dcb-wf-type')!.textContent).toBe('Iteration');
    expect(iteration.querySelector(':scope > .dcb-wf-row .dcb-elapsed')!.textContent).toBe('0.31 s');
    const rounds = iteration.querySelectorAll('.dcb-wf-round');
    expect([...rounds].map((r) => r.querySelector('.dcb-wf-round-label')!.textContent)).toEqual(['Round 1', 'Round 2', 'Round 3']);
    for (const r of rounds) expect(rows(r.querySelector('ol')!)).toEqual(['Code']);
    const failed = rounds[2]!.querySelector('li')!;
    expect(failed.getAttribute('data-status')).toBe('failed');
    expect(failed.querySelector('.dcb-sr-only')!.textContent).toBe('Failed');
    expect(failed.querySelector('.dcb-status-bad')).not.toBeNull();
    expect(failed.querySelector('.dcb-node-error')!.textContent).toBe('division by zero');
    expect(failed.querySelector('.dcb-elapsed')!.textContent).toBe('0.004 s');
  });

  test('live: running spinner and status text, updating as the run object changes', () => {
    const c = container();
    const events = iterateEvents(2, false);
    render(<WorkflowPanel workflow={runOf(events)} strings={answerEn} />, c);
    const summary = () => c.querySelector('summary')!;
    expect(summary().querySelector('.dcb-spinner')).not.toBeNull();
    expect(summary().textContent).toBe('WorkflowRunning');
    expect(c.querySelector('.dcb-wf-loop')!.getAttribute('data-status')).toBe('running');
    expect(c.querySelector('.dcb-wf-loop .dcb-sr-only')!.textContent).toBe('Running');

    const more = [
      ...events,
      ev('iteration_next', { id: 'IT', node_id: 'iteration', index: 2 }),
      started('C2', 'code', 'code', 'Code', 3, { iteration_id: 'IT' }),
    ];
    render(<WorkflowPanel workflow={runOf(more)} strings={answerEn} />, c);
    expect(c.querySelectorAll('.dcb-wf-round')).toHaveLength(3);
    const last = c.querySelectorAll('.dcb-wf-round')[2]!.querySelector('li')!;
    expect(last.querySelector('.dcb-spinner')).not.toBeNull();
    expect(last.querySelector('.dcb-sr-only')!.textContent).toBe('Running');

    render(<WorkflowPanel workflow={runOf(iterateEvents())} strings={answerEn} />, c);
    expect(summary().querySelector('.dcb-spinner')).toBeNull();
    expect(c.querySelectorAll('.dcb-spinner')).toHaveLength(0);
    expect(summary().textContent).toBe('WorkflowSucceeded2.05 s');
  });

  test('the visitor’s open/closed choice survives updates', () => {
    const c = container();
    render(<WorkflowPanel workflow={runOf(iterateEvents(1, false))} strings={answerEn} />, c);
    const details = c.querySelector('details')! as HTMLDetailsElement;
    act(() => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    render(<WorkflowPanel workflow={runOf(iterateEvents())} strings={answerEn} />, c);
    expect(c.querySelector('details')!.hasAttribute('open')).toBe(true);
    act(() => {
      details.open = false;
      details.dispatchEvent(new Event('toggle'));
    });
    render(<WorkflowPanel workflow={runOf(iterateEvents())} strings={answerEn} defaultOpen />, c);
    expect(c.querySelector('details')!.hasAttribute('open')).toBe(false);
  });

  test('failed and stopped runs', () => {
    const failed = panel({ ...runOf(iterateEvents()), status: 'failed', error: 'Run failed: boom' });
    expect(failed.querySelector('.dcb-workflow-status')!.textContent).toBe('Failed');
    expect(failed.querySelector('summary .dcb-status-bad')).not.toBeNull();
    expect(failed.querySelector('details > .dcb-node-error')!.textContent).toBe('Run failed: boom');
    const stopped = panel({ ...runOf(iterateEvents()), status: 'stopped' });
    expect(stopped.querySelector('.dcb-workflow-status')!.textContent).toBe('Stopped');
    const odd = panel({ ...runOf(iterateEvents()), status: 'brand-new' });
    expect(odd.querySelector('.dcb-workflow-status')!.textContent).toBe('Status: brand-new');
  });

  test('ended: what still says running shows as stopped, without spinners', () => {
    const c = panel(runOf(iterateEvents(2, false)), { ended: true });
    expect(c.querySelectorAll('.dcb-spinner')).toHaveLength(0);
    expect(c.querySelector('.dcb-workflow-status')!.textContent).toBe('Stopped');
    expect(c.querySelector('.dcb-wf-loop')!.getAttribute('data-status')).toBe('stopped');
  });

  test('Chinese strings', () => {
    const c = panel(runOf(iterateEvents()), { strings: answerZhHans });
    expect(c.querySelector('summary')!.textContent).toBe('工作流成功2.05 秒');
    expect(c.querySelector('.dcb-wf-round-label')!.textContent).toBe('第 1 轮');
    expect(c.querySelector('.dcb-wf-loop .dcb-wf-type')!.textContent).toBe('迭代');
  });

  test('retries show their count', () => {
    const run = runOf([
      ev('workflow_started', { id: 'R', workflow_id: 'W', inputs: {}, created_at: 1 }),
      started('N1', 'http', 'http-request', 'HTTP', 1),
      ev('node_retry', {
        ...nodeData('N1', 'http', 'http-request', 'HTTP', 1),
        status: 'retry',
        retry_index: 2,
        elapsed_time: 0.2,
        error: 'timeout',
      }),
    ]);
    const c = panel(run);
    expect(c.querySelector('.dcb-wf-node')!.textContent).toContain('Retry 2');
    expect(c.querySelector('.dcb-wf-node .dcb-sr-only')!.textContent).toBe('Retrying');
  });
});

describe('workflowTree', () => {
  const n = (id: string, extra: Partial<WorkflowNode> = {}): WorkflowNode => ({
    id,
    nodeId: `n-${id}`,
    nodeType: 'code',
    title: id,
    index: 1,
    status: 'succeeded',
    parentId: null,
    ...extra,
  });
  const loop = (id: string, extra: Partial<LoopRun> = {}): LoopRun => ({
    id,
    kind: 'iteration',
    nodeId: `n-${id}`,
    title: id,
    status: 'succeeded',
    index: 0,
    ...extra,
  });
  const shape = (items: TreeItem[]): unknown =>
    items.map((i) => (i.type === 'node' ? i.node.id : { [i.loop.id]: i.rounds.map((r) => [r.round, shape(r.items)]) }));

  test('explicit iteration indexes win over the count', () => {
    const tree = workflowTree(
      [n('a', { parentId: 'IT', iterationIndex: 4, nodeId: 'x' }), n('b', { parentId: 'IT', iterationIndex: 1, nodeId: 'x' })],
      [loop('IT')],
    );
    expect(shape(tree)).toEqual([
      {
        IT: [
          [1, ['b']],
          [4, ['a']],
        ],
      },
    ]);
  });

  test('counting: the k-th run of a node in an iteration is round k (several nodes per round)', () => {
    const tree = workflowTree(
      [
        n('a1', { parentId: 'IT', nodeId: 'a' }),
        n('b1', { parentId: 'IT', nodeId: 'b' }),
        n('a2', { parentId: 'IT', nodeId: 'a' }),
        n('b2', { parentId: 'IT', nodeId: 'b' }),
      ],
      [loop('IT')],
    );
    expect(shape(tree)).toEqual([
      {
        IT: [
          [0, ['a1', 'b1']],
          [1, ['a2', 'b2']],
        ],
      },
    ]);
  });

  test('the iteration takes its own node’s place (merged), else its first child’s, else comes last', () => {
    expect(shape(workflowTree([n('s'), n('IT', { nodeType: 'iteration' }), n('c', { parentId: 'IT' }), n('e')], [loop('IT')]))).toEqual([
      's',
      { IT: [[0, ['c']]] },
      'e',
    ]);
    expect(shape(workflowTree([n('s'), n('c', { parentId: 'IT' }), n('e')], [loop('IT')]))).toEqual(['s', { IT: [[0, ['c']]] }, 'e']);
    expect(shape(workflowTree([n('s'), n('e')], [loop('IT')]))).toEqual(['s', 'e', { IT: [] }]);
    const merged = workflowTree([n('IT', { nodeType: 'iteration', elapsedTime: 3 })], [loop('IT')])[0] as LoopItem;
    expect(merged.node?.elapsedTime).toBe(3);
  });

  test('parents by node id; loops; nested iterations', () => {
    const tree = workflowTree(
      [
        n('c', { parentId: 'n-L' }),
        n('INNER', { parentId: 'OUTER', iterationIndex: 0 }),
        n('deep', { parentId: 'INNER', iterationIndex: 1 }),
      ],
      [loop('L', { kind: 'loop' }), loop('OUTER'), loop('INNER')],
    );
    expect(shape(tree)).toEqual([{ L: [[0, ['c']]] }, { OUTER: [[0, [{ INNER: [[1, ['deep']]] }]]] }]);
  });

  test('unknown parents and self-references stay at the top; cycles terminate', () => {
    expect(shape(workflowTree([n('x', { parentId: 'nope' })], []))).toEqual(['x']);
    expect(shape(workflowTree([n('A', { parentId: 'A' })], [loop('A')]))).toEqual([{ A: [] }]);
    const cyc = workflowTree([n('A', { parentId: 'B' }), n('B', { parentId: 'A' })], [loop('A'), loop('B')]);
    expect(shape(cyc)).toEqual([{ B: [[0, [{ A: [] }]]] }]);
  });

  test('formatSeconds', () => {
    expect(formatSeconds(1.73, answerEn)).toBe('1.73 s');
    expect(formatSeconds(0, answerEn)).toBe('0.00 s');
    expect(formatSeconds(0.004, answerEn)).toBe('0.004 s');
    expect(formatSeconds(12.3456, answerEn)).toBe('12.35 s');
    expect(formatSeconds(undefined, answerEn)).toBe('');
    expect(formatSeconds(NaN, answerEn)).toBe('');
    expect(formatSeconds(-1, answerEn)).toBe('');
  });
});
