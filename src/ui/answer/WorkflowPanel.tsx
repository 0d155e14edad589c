import { useMemo, useState } from 'preact/hooks';
import { fill, statusText, type AnswerStrings } from '../../i18n/answer-strings.ts';
import type { LoopRun, WorkflowNode, WorkflowRun } from '../../state/answer.ts';
import { Svg } from '../icons.tsx';

export interface WorkflowPanelProps {
  workflow: WorkflowRun;
  strings: AnswerStrings;
  /** Open at first render; afterwards the visitor's choice stands. */
  defaultOpen?: boolean;
  /**
   * The answer is over (done, stopped, interrupted, error): a run or node still marked running
   * will not finish (e.g. the visitor stopped it and `workflow_finished` never came), so it shows
   * as stopped instead of spinning forever.
   */
  ended?: boolean;
}

/**
 * A chatflow's run, collapsed under its status: every node with its status and time, and the
 * nodes that ran inside an iteration or loop nested under it, round by round. Pure over its
 * props, so it follows the answer as events arrive. Status is always spelled out in text.
 */
export function WorkflowPanel({ workflow, strings, defaultOpen = false, ended = false }: WorkflowPanelProps) {
  const [open, setOpen] = useState(defaultOpen);
  const tree = useMemo(() => workflowTree(workflow.nodes, workflow.iterations), [workflow.nodes, workflow.iterations]);
  const elapsed = formatSeconds(workflow.elapsedTime, strings);
  const status = settle(workflow.status, ended);
  return (
    <details
      class="dcb-workflow"
      data-status={status}
      open={open}
      onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary class="dcb-workflow-summary">
        <StatusIcon status={status} />
        <span class="dcb-workflow-title">{strings.workflow}</span>
        <span class="dcb-workflow-status">{statusText(strings, status)}</span>
        {elapsed && <span class="dcb-elapsed">{elapsed}</span>}
      </summary>
      {tree.length > 0 && (
        <div class="dcb-workflow-body">
          <ItemList items={tree} ctx={{ strings, ended }} label={strings.workflowSteps} />
        </div>
      )}
      {workflow.error && <p class="dcb-node-error">{workflow.error}</p>}
    </details>
  );
}

// ---------------------------------------------------------------------------------------------
// The tree: nodes in arrival order, iteration/loop children grouped by round

export interface NodeItem {
  type: 'node';
  key: string;
  node: WorkflowNode;
}
export interface LoopItem {
  type: 'loop';
  key: string;
  loop: LoopRun;
  /** The iteration's own node events, when the server sends them. */
  node: WorkflowNode | null;
  rounds: Array<{ round: number; items: TreeItem[] }>;
}
export type TreeItem = NodeItem | LoopItem;

/**
 * Arrange nodes under their iterations/loops. A node's `parentId` is the iteration's execution id
 * (Dify's `iteration_id`/`loop_id`; the node id is accepted too). An iteration takes the place of
 * its own node, else of its first child, else comes last. The round is the node's
 * `iterationIndex` when the server sends it, else the count of earlier runs of the same node in
 * that iteration (each round runs each node once). Every item is placed once, so any input gives
 * a finite tree.
 */
export function workflowTree(nodes: WorkflowNode[], loops: LoopRun[]): TreeItem[] {
  const top: TreeItem[] = [];
  const items = new Map<string, LoopItem & { placed: boolean; children: TreeItem[] }>();
  for (const loop of loops) {
    if (!items.has(loop.id))
      items.set(loop.id, { type: 'loop', key: `loop:${loop.id}`, loop, node: null, rounds: [], placed: false, children: [] });
  }
  const findLoop = (ref: string | null | undefined) => {
    if (!ref) return undefined;
    const byId = items.get(ref);
    if (byId) return byId;
    let last: ReturnType<typeof items.get>;
    for (const item of items.values()) if (item.loop.nodeId === ref) last = item;
    return last;
  };
  const ownLoop = (node: WorkflowNode) => {
    const item = items.get(node.id);
    return item && !item.node ? item : undefined;
  };
  const place = (item: TreeItem, parentRef: string | null | undefined) => {
    const parent = findLoop(parentRef);
    if (parent && parent !== item) {
      if (!parent.placed) {
        parent.placed = true;
        top.push(parent);
      }
      parent.children.push(item);
    } else top.push(item);
  };
  for (const node of nodes) {
    const own = ownLoop(node);
    if (own) {
      own.node = node;
      if (!own.placed) {
        own.placed = true;
        place(own, node.parentId);
      }
    } else place({ type: 'node', key: `node:${node.id}`, node }, node.parentId);
  }
  for (const item of items.values()) {
    if (!item.placed) top.push(item);
    item.rounds = toRounds(item.children);
  }
  return top;
}

function toRounds(children: TreeItem[]): LoopItem['rounds'] {
  const seen = new Map<string, number>();
  const rounds = new Map<number, TreeItem[]>();
  for (const child of children) {
    const node = child.node;
    const nodeId = child.type === 'node' ? child.node.nodeId : child.loop.nodeId;
    const count = seen.get(nodeId) ?? 0;
    seen.set(nodeId, count + 1);
    const index = node?.iterationIndex;
    const round = typeof index === 'number' && Number.isFinite(index) && index >= 0 ? index : count;
    const list = rounds.get(round);
    if (list) list.push(child);
    else rounds.set(round, [child]);
  }
  return [...rounds.entries()].sort((left, right) => left[0] - right[0]).map(([round, items]) => ({ round, items }));
}

// ---------------------------------------------------------------------------------------------
// Rendering

interface Ctx {
  strings: AnswerStrings;
  ended: boolean;
}

/** A status that can no longer change from `running`, once the answer is over. */
function settle(status: string, ended: boolean): string {
  return ended && (status === 'running' || status === 'retry') ? 'stopped' : status;
}

function ItemList({ items, ctx, label }: { items: TreeItem[]; ctx: Ctx; label?: string }) {
  return (
    <ol class="dcb-wf-list" aria-label={label}>
      {items.map((item) =>
        item.type === 'node' ? <NodeRow key={item.key} node={item.node} ctx={ctx} /> : <LoopRow key={item.key} item={item} ctx={ctx} />,
      )}
    </ol>
  );
}

function NodeRow({ node, ctx }: { node: WorkflowNode; ctx: Ctx }) {
  const status = settle(node.status, ctx.ended);
  return (
    <li class="dcb-wf-node" data-status={status}>
      <Row
        title={node.title || node.nodeId}
        type={node.nodeType}
        status={status}
        elapsed={node.elapsedTime}
        error={node.error}
        retry={node.retryIndex}
        strings={ctx.strings}
      />
    </li>
  );
}

function LoopRow({ item, ctx }: { item: LoopItem; ctx: Ctx }) {
  const { loop, node } = item;
  const { strings } = ctx;
  const status = settle(loop.status, ctx.ended);
  const kind = loop.kind === 'loop' ? strings.loop : strings.iteration;
  // The loop events are the authority on status and time; the node's own events fill gaps.
  return (
    <li class="dcb-wf-node dcb-wf-loop" data-status={status}>
      <Row
        title={loop.title || node?.title || loop.nodeId}
        type={kind}
        status={status}
        elapsed={loop.elapsedTime ?? node?.elapsedTime}
        error={loop.error || node?.error}
        strings={strings}
      />
      {item.rounds.length > 0 && (
        <ol class="dcb-wf-rounds">
          {item.rounds.map(({ round, items }) => (
            <li key={round} class="dcb-wf-round">
              <span class="dcb-wf-round-label">{fill(strings.round, { n: round + 1 })}</span>
              <ItemList items={items} ctx={ctx} />
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

function Row(props: {
  title: string;
  type: string;
  status: string;
  elapsed: number | undefined;
  error: string | null | undefined;
  retry?: number | undefined;
  strings: AnswerStrings;
}) {
  const { title, type, status, elapsed, error, retry, strings } = props;
  const time = formatSeconds(elapsed, strings);
  return (
    <>
      <div class="dcb-wf-row">
        <StatusIcon status={status} />
        <span class="dcb-wf-title" title={title}>
          {title}
        </span>
        {type && <span class="dcb-wf-type">{type}</span>}
        <span class="dcb-sr-only">{statusText(strings, status)}</span>
        {typeof retry === 'number' && retry > 0 && <span class="dcb-wf-type">{fill(strings.retry, { n: retry })}</span>}
        {time && <span class="dcb-elapsed">{time}</span>}
      </div>
      {error && <p class="dcb-node-error">{error}</p>}
    </>
  );
}

function StatusIcon({ status }: { status: string }) {
  if (status === 'running' || status === 'retry') return <span class="dcb-spinner" aria-hidden="true" />;
  const path = Object.hasOwn(ICONS, status) ? ICONS[status] : undefined;
  if (!path) return <span class="dcb-status-dot" aria-hidden="true" />;
  const tone = Object.hasOwn(ICON_TONE, status) ? ICON_TONE[status] : 'muted';
  return (
    <Svg class={`dcb-status-icon dcb-status-${tone}`} size={14}>
      <path d={path} />
    </Svg>
  );
}

const ICONS: Record<string, string> = {
  succeeded: 'M20 6 9 17l-5-5',
  'partial-succeeded': 'M20 6 9 17l-5-5',
  failed: 'M18 6 6 18M6 6l12 12',
  exception: 'M18 6 6 18M6 6l12 12',
  stopped: 'M7 7h10v10H7Z',
  paused: 'M9 6v12M15 6v12',
};
const ICON_TONE: Record<string, string> = {
  succeeded: 'ok',
  'partial-succeeded': 'warn',
  failed: 'bad',
  exception: 'bad',
};

/** Seconds as "1.73 s" (3 decimals under 0.01 s so fast nodes do not read as zero); '' when unknown. */
export function formatSeconds(value: number | undefined | null, strings: AnswerStrings): string {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return '';
  return fill(strings.seconds, { s: value.toFixed(value > 0 && value < 0.01 ? 3 : 2) });
}
