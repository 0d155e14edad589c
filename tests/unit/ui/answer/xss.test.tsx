// @vitest-environment happy-dom
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test } from 'vitest';
import type { AppMeta, RetrieverResource } from '../../../../src/api/types.ts';
import { answerEn } from '../../../../src/i18n/answer-strings.ts';
import { answerZhHans } from '../../../../src/i18n/answer-zh-hans.ts';
import { safeImageSrc, safeLinkHref } from '../../../../src/markdown/index.ts';
import type { AgentThought, AnswerFile, WorkflowRun } from '../../../../src/state/answer.ts';
import { AgentSteps } from '../../../../src/ui/answer/AgentSteps.tsx';
import { AnswerBadges } from '../../../../src/ui/answer/AnswerBadges.tsx';
import { AnswerFiles } from '../../../../src/ui/answer/AnswerFiles.tsx';
import { Citations } from '../../../../src/ui/answer/Citations.tsx';
import { WorkflowPanel } from '../../../../src/ui/answer/WorkflowPanel.tsx';

const BASE = 'https://api.example';

/** Every element these components may create. */
const TAGS = new Set('div span p ol ul li pre img a details summary button section svg path'.split(' '));
/** Every attribute they may set. */
const ATTRS = new Set(
  'class id title href src alt target rel loading decoding referrerpolicy width height style aria-hidden aria-label aria-labelledby aria-expanded aria-controls focusable viewBox d type hidden open data-status data-state'.split(
    ' ',
  ),
);
const FORBIDDEN =
  'script, iframe, object, embed, style, link, meta, base, form, input, textarea, template, math, frame, audio, video, source';

/** The invariants that must hold whatever the server sends. */
function assertSafe(root: HTMLElement): void {
  expect(root.querySelectorAll(FORBIDDEN).length).toBe(0);
  for (const el of root.querySelectorAll('*')) {
    const tag = el.localName;
    expect(TAGS.has(tag), `element <${tag}>`).toBe(true);
    for (const { name, value } of el.attributes) {
      expect(ATTRS.has(name), `attribute ${name} on <${tag}>`).toBe(true);
      expect(name.toLowerCase().startsWith('on')).toBe(false);
      if (name === 'class') expect(value).toMatch(/^dcb-[\w-]+( dcb-[\w-]+)*$/);
      if (name === 'style') expect(value).toMatch(/^background: #[0-9a-fA-F]{3,8};?$/);
      if (name === 'type') expect(value).toBe('button');
      if (name === 'd') expect(value).toMatch(/^[MLHVCSQTAZmlhvcsqtaz0-9 .,-]+$/);
    }
    if (tag === 'svg' || tag === 'path') expect(el.closest('svg')!.getAttribute('aria-hidden')).toBe('true');
    if (tag === 'a') {
      const href = el.getAttribute('href')!;
      expect(safeLinkHref(href, BASE)).toBe(href);
      expect(['http:', 'https:', 'mailto:', 'tel:']).toContain(new URL(href).protocol);
      expect(el.getAttribute('target')).toBe('_blank');
      expect(el.getAttribute('rel')).toBe('noopener noreferrer');
    }
    if (tag === 'img') {
      const src = el.getAttribute('src')!;
      expect(safeImageSrc(src, BASE)).toBe(src);
      expect(['http:', 'https:']).toContain(new URL(src).protocol);
    }
  }
}

/** Open every collapsible so hidden parts are rendered and checked too. */
function expandAll(root: HTMLElement): void {
  for (const d of root.querySelectorAll('details')) (d as HTMLDetailsElement).open = true;
  for (let i = 0; i < 3; i++) {
    for (const b of root.querySelectorAll('button[aria-expanded="false"]')) act(() => (b as HTMLButtonElement).click());
  }
}

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(1)',
  '&#106;avascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:image/svg+xml,<svg onload=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
  '__proto__',
  'constructor',
  '</pre><script>alert(1)</script>',
  'red;background:url(javascript:alert(1))',
];

const containers: HTMLElement[] = [];
afterEach(() => {
  for (const c of containers.splice(0)) {
    render(null, c);
    c.remove();
  }
});
function mount(node: ComponentChild): HTMLElement {
  const c = document.createElement('div');
  document.body.append(c);
  containers.push(c);
  render(node, c);
  return c;
}

describe.each(PAYLOADS)('hostile value %j', (p) => {
  test('AgentSteps: tool names, labels, inputs, observations, icons, file URLs', () => {
    const thoughts: AgentThought[] = [
      {
        id: p,
        position: 1,
        thought: p,
        tool: `${p};safe`,
        toolLabels: { [p]: { en_US: p, zh_Hans: p }, safe: { en_US: p } },
        toolInput: JSON.stringify({ [p]: { q: p } }),
        observation: p,
        fileIds: [p, 'f2'],
      },
      { id: 't2', position: 2, thought: '', tool: 'safe', toolLabels: {}, toolInput: p, observation: JSON.stringify(p), fileIds: [] },
    ];
    const files: AnswerFile[] = [
      { id: p, type: 'image', url: p, belongsTo: 'assistant', filename: p },
      { id: 'f2', type: 'document', url: p, belongsTo: 'assistant', filename: p },
    ];
    const meta = { tool_icons: { [p]: p, safe: { background: p, content: p } } } as AppMeta;
    for (const [locale, strings] of [
      ['en-US', answerEn],
      ['zh-Hans', answerZhHans],
    ] as const) {
      for (const running of [true, false]) {
        const c = mount(
          <AgentSteps thoughts={thoughts} files={files} meta={meta} locale={locale} imageBase={BASE} running={running} strings={strings} />,
        );
        expandAll(c);
        assertSafe(c);
        // `;` separates tool names, so a payload containing one names several tools.
        const calls = `${p};safe`.split(';').filter((t) => t.trim()).length + 1;
        expect(c.querySelectorAll('.dcb-tool').length).toBe(calls);
        // The payload reached the DOM as text.
        expect(c.textContent).toContain(p.trim() === p ? p : p.trim());
      }
    }
  });

  test('AnswerFiles: file names and URLs', () => {
    const c = mount(
      <AnswerFiles
        files={[
          { id: '1', type: 'image', url: p, belongsTo: 'assistant', filename: p },
          { id: '2', type: 'document', url: p, belongsTo: 'assistant', filename: p },
          { id: '3', type: 'document', url: `https://files.example/x?name=${encodeURIComponent(p)}`, belongsTo: 'assistant', filename: p },
          { id: '4', type: 'custom', url: p, belongsTo: 'assistant', mimeType: 'image/svg+xml' },
        ]}
        imageBase={BASE}
        strings={answerEn}
      />,
    );
    assertSafe(c);
    expect(c.textContent).toContain(p);
  });

  test('WorkflowPanel: titles, types, statuses, errors, ids', () => {
    const workflow: WorkflowRun = {
      runId: p,
      status: p,
      error: p,
      elapsedTime: 1,
      nodes: [
        { id: p, nodeId: p, nodeType: p, title: p, index: 1, status: p, error: p, parentId: null },
        { id: 'c', nodeId: 'c', nodeType: p, title: p, index: 2, status: 'failed', error: p, parentId: 'IT', retryIndex: 1 },
        { id: 'd', nodeId: 'd', nodeType: p, title: p, index: 3, status: p, parentId: p },
      ],
      iterations: [
        { id: 'IT', kind: p as 'loop', nodeId: p, title: p, status: p, index: 0, error: p },
        { id: p, kind: 'loop', nodeId: 'x', title: p, status: 'running', index: 0 },
      ],
      agentLogs: [],
      forms: [],
    };
    const c = mount(<WorkflowPanel workflow={workflow} strings={answerEn} defaultOpen />);
    assertSafe(c);
    expect(c.textContent).toContain(p);
  });

  test('Citations: document names and contents', () => {
    const resources: RetrieverResource[] = [
      { document_id: p, document_name: p, segment_id: p, content: p, score: 0.5 },
      { document_id: 'b', document_name: p, content: `${p}\n`.repeat(40), score: NaN },
      { document_name: p, content: p, score: p as never },
    ];
    const c = mount(<Citations resources={resources} strings={answerEn} />);
    expandAll(c);
    assertSafe(c);
    expect(c.querySelectorAll('.dcb-snippet').length).toBe(3);
    expect(c.textContent).toContain(p);
  });

  test('AnswerBadges: author names and reasons', () => {
    const c = mount(<AnswerBadges annotation={{ id: p, authorName: p }} replacedReason={p} strings={answerEn} />);
    assertSafe(c);
    expect(c.textContent).toContain(p.trim());
  });
});

test('the checker itself catches what it should', () => {
  const bad = document.createElement('div');
  bad.innerHTML = '<img src="javascript:alert(1)">';
  expect(() => assertSafe(bad)).toThrow();
  const bad2 = document.createElement('div');
  bad2.innerHTML = '<span onclick="x"></span>';
  expect(() => assertSafe(bad2)).toThrow();
});
