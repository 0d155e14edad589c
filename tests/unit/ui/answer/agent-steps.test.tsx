// @vitest-environment happy-dom
import { render, type ComponentChild } from 'preact';
import { afterEach, describe, expect, test } from 'vitest';
import type { AppMeta } from '../../../../src/api/types.ts';
import { answerEn } from '../../../../src/i18n/answer-strings.ts';
import { stringsFor } from '../../../../src/i18n/strings.ts';
import { zhHans } from '../../../../src/i18n/zh-hans.ts';

/** The answer strings the chat gives the extras for a locale, with the Chinese pack loaded. */
const answerStrings = (locale: string) => stringsFor(locale, { 'zh-Hans': zhHans }).answer ?? answerEn;
import type { AgentThought, AnswerFile } from '../../../../src/state/answer.ts';
import { AgentSteps, agentStepFileIds, toolLabel, toolPart, type AgentStepsProps } from '../../../../src/ui/answer/AgentSteps.tsx';

const IMAGE_BASE = 'https://api.example';
const en = answerEn;

const containers: HTMLElement[] = [];
function mount(node: ComponentChild): HTMLElement {
  const c = document.createElement('div');
  document.body.append(c);
  containers.push(c);
  render(node, c);
  return c;
}
afterEach(() => {
  for (const c of containers.splice(0)) {
    render(null, c);
    c.remove();
  }
});

function thought(over: Partial<AgentThought> = {}): AgentThought {
  return {
    id: 'th-1',
    position: 1,
    thought: '',
    tool: 'current_time',
    toolLabels: { current_time: { en_US: 'Current Time', zh_Hans: '获取当前时间' } },
    toolInput: '{"current_time": {"timezone": "UTC"}}',
    observation: '{"current_time": "2025-01-16 04:01:40 UTC"}',
    fileIds: [],
    ...over,
  };
}

function steps(props: Partial<AgentStepsProps> = {}): HTMLElement {
  return mount(
    <AgentSteps
      thoughts={[thought()]}
      files={[]}
      meta={null}
      locale="en-US"
      imageBase={IMAGE_BASE}
      running={false}
      strings={en}
      {...props}
    />,
  );
}

describe('AgentSteps', () => {
  test('one step per thought that used a tool; tool-less thoughts are not steps', () => {
    const c = steps({
      thoughts: [thought(), thought({ id: 'th-2', position: 2, tool: '', toolInput: '', observation: '', thought: 'It is 04:01 UTC.' })],
    });
    expect(c.querySelectorAll('.dcb-agent-step')).toHaveLength(1);
    expect(c.textContent).not.toContain('It is 04:01 UTC.');
    expect(c.querySelector('ol')!.getAttribute('aria-label')).toBe('Tool calls');
  });

  test('renders nothing without tool steps', () => {
    expect(steps({ thoughts: [thought({ tool: '' })] }).innerHTML).toBe('');
    expect(steps({ thoughts: [] }).innerHTML).toBe('');
    expect(steps({ thoughts: [thought({ tool: ' ; ' })] }).innerHTML).toBe('');
  });

  test.each([
    ['en-US', 'Used Current Time'],
    ['en', 'Used Current Time'],
    ['zh-Hans', '已使用 获取当前时间'],
    ['zh-CN', '已使用 获取当前时间'],
    ['zh', '已使用 获取当前时间'],
    ['ja-JP', 'Used Current Time'],
    ['', 'Used Current Time'],
  ])('label for locale %s', (locale, text) => {
    const c = steps({ locale, strings: answerStrings(locale) });
    expect(c.querySelector('summary')!.textContent).toBe(text);
  });

  test('toolLabel: exact key, case, language fallback, en_US, then the tool name', () => {
    const labels = { t: { en_US: 'Tea', ja_JP: 'お茶', pt_BR: 'Chá', zh_Hant: '茶（繁）', zh_Hans: '茶' } };
    expect(toolLabel(labels, 't', 'ja-JP')).toBe('お茶');
    expect(toolLabel(labels, 't', 'JA-jp')).toBe('お茶');
    expect(toolLabel(labels, 't', 'ja')).toBe('お茶');
    expect(toolLabel(labels, 't', 'pt-PT')).toBe('Chá');
    expect(toolLabel(labels, 't', 'zh-TW')).toBe('茶（繁）');
    expect(toolLabel(labels, 't', 'zh-Hant')).toBe('茶（繁）');
    expect(toolLabel(labels, 't', 'zh-CN')).toBe('茶');
    expect(toolLabel(labels, 't', 'de-DE')).toBe('Tea');
    expect(toolLabel({ t: { fr_FR: 'Thé' } }, 't', 'de-DE')).toBe('t');
    expect(toolLabel({ t: { en_US: '  ' } }, 't', 'en-US')).toBe('t');
    expect(toolLabel({}, 't', 'en-US')).toBe('t');
    expect(toolLabel(null, 't', 'en-US')).toBe('t');
    expect(toolLabel({ t: 'Plain' } as never, 't', 'en-US')).toBe('Plain');
    // Prototype keys are not labels.
    expect(toolLabel({}, 'constructor', 'en-US')).toBe('constructor');
    expect(toolLabel({}, '__proto__', 'en-US')).toBe('__proto__');
    expect(toolLabel({ t: { en_US: 5 } } as never, 't', 'en-US')).toBe('t');
  });

  test('running: spinner and "Using …" while the observation is empty', () => {
    const c = steps({ thoughts: [thought({ observation: '' })], running: true });
    const step = c.querySelector('.dcb-agent-step')!;
    expect(step.getAttribute('data-state')).toBe('running');
    expect(step.querySelector('.dcb-spinner')).not.toBeNull();
    expect(step.querySelector('.dcb-spinner')!.getAttribute('aria-hidden')).toBe('true');
    expect(step.querySelector('summary')!.textContent).toBe('Using Current Time…');
  });

  test('done: no spinner, "Used …", once the observation arrives or the answer ended', () => {
    for (const props of [{ running: true }, { running: false, thoughts: [thought({ observation: '' })] }]) {
      const c = steps(props);
      expect(c.querySelector('.dcb-spinner')).toBeNull();
      expect(c.querySelector('.dcb-step-check')).not.toBeNull();
      expect(c.querySelector('summary')!.textContent).toBe('Used Current Time');
      expect(c.querySelector('.dcb-agent-step')!.getAttribute('data-state')).toBe('done');
    }
  });

  test('updates from running to done on re-render', () => {
    const c = document.createElement('div');
    containers.push(c);
    const props = { files: [], meta: null, locale: 'en', imageBase: IMAGE_BASE, strings: en };
    render(<AgentSteps {...props} thoughts={[thought({ observation: '' })]} running />, c);
    expect(c.textContent).toContain('Using Current Time…');
    render(<AgentSteps {...props} thoughts={[thought()]} running />, c);
    expect(c.textContent).toContain('Used Current Time');
    expect(c.querySelector('.dcb-spinner')).toBeNull();
  });

  test('input and observation are pretty-printed JSON inside <pre> in a collapsed <details>', () => {
    const c = steps();
    const details = c.querySelector('details')!;
    expect(details.hasAttribute('open')).toBe(false);
    const pres = details.querySelectorAll('pre');
    expect(pres).toHaveLength(2);
    expect(pres[0]!.textContent).toBe('{\n  "current_time": {\n    "timezone": "UTC"\n  }\n}');
    expect(pres[1]!.textContent).toBe('{\n  "current_time": "2025-01-16 04:01:40 UTC"\n}');
    expect(details.textContent).toContain('Input');
    expect(details.textContent).toContain('Output');
  });

  test('raw text when it is not JSON; no output section while there is no observation', () => {
    const c = steps({ thoughts: [thought({ toolInput: 'not json {', observation: '' })] });
    const pres = c.querySelectorAll('pre');
    expect(pres).toHaveLength(1);
    expect(pres[0]!.textContent).toBe('not json {');
    expect(c.textContent).not.toContain('Output');
  });

  test('a <script> in the tool input is text', () => {
    const input = JSON.stringify({ current_time: { q: '<script>alert(1)</script><img src=x onerror=alert(1)>' } });
    const c = steps({ thoughts: [thought({ toolInput: input, observation: '<script>alert(2)</script>' })] });
    expect(c.querySelector('script')).toBeNull();
    expect(c.querySelector('pre img')).toBeNull();
    expect(c.querySelectorAll('pre')[0]!.textContent).toContain('"q": "<script>alert(1)</script><img src=x onerror=alert(1)>"');
    expect(c.querySelectorAll('pre')[1]!.textContent).toBe('<script>alert(2)</script>');
  });

  test('several tools (joined by ;): one call each, each with its own part of the input', () => {
    const c = steps({
      thoughts: [
        thought({
          tool: 'a;b',
          toolLabels: { a: { en_US: 'Alpha' }, b: { en_US: 'Beta' } },
          toolInput: JSON.stringify({ a: { x: 1 }, b: { y: 2 } }),
          observation: JSON.stringify({ a: 'one', b: 'two' }),
        }),
      ],
    });
    const calls = c.querySelectorAll('.dcb-tool');
    expect(calls).toHaveLength(2);
    expect(calls[0]!.querySelector('summary')!.textContent).toBe('Used Alpha');
    expect(calls[1]!.querySelector('summary')!.textContent).toBe('Used Beta');
    expect(calls[0]!.querySelectorAll('pre')[0]!.textContent).toBe('{\n  "a": {\n    "x": 1\n  }\n}');
    expect(calls[1]!.querySelectorAll('pre')[1]!.textContent).toBe('{\n  "b": "two"\n}');
    expect(c.querySelectorAll('.dcb-agent-step')).toHaveLength(1);
  });

  test('toolPart: arrays by index, whole value when the key is missing, raw when not JSON', () => {
    expect(toolPart('[{"x":1},{"y":2}]', 'b', 1, 2)).toBe('{\n  "y": 2\n}');
    expect(toolPart('{"z":1}', 'b', 1, 2)).toBe('{\n  "z": 1\n}');
    expect(toolPart('{"b":1}', 'b', 0, 1)).toBe('{\n  "b": 1\n}');
    expect(toolPart('"text"', 'b', 0, 1)).toBe('"text"');
    expect(toolPart('{oops', 'b', 0, 1)).toBe('{oops');
    expect(toolPart('', 'b', 0, 1)).toBe('');
  });

  describe('icons', () => {
    const meta = (icon: unknown): AppMeta => ({ tool_icons: { current_time: icon } }) as AppMeta;

    test('URL icon → <img> through the allowlist, relative URLs against imageBase', () => {
      const c = steps({ meta: meta('/console/api/workspaces/current/tool-provider/builtin/time/icon') });
      const img = c.querySelector('img.dcb-tool-icon')!;
      expect(img.getAttribute('src')).toBe('https://api.example/console/api/workspaces/current/tool-provider/builtin/time/icon');
      expect(img.getAttribute('alt')).toBe('');
    });

    test('emoji icon → span with its background when it is a hex colour', () => {
      const c = steps({ meta: meta({ background: '#252525', content: '😁' }) });
      const span = c.querySelector('span.dcb-tool-emoji') as HTMLElement;
      expect(span.textContent).toBe('😁');
      expect(span.getAttribute('aria-hidden')).toBe('true');
      expect(span.getAttribute('style')).toMatch(/^background: #252525;?$/);
      expect(c.querySelector('img')).toBeNull();
    });

    test.each([
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'vbscript:x',
      'file:///etc/passwd',
    ])('hostile URL icon %j → no img', (url) => {
      const c = steps({ meta: meta(url) });
      expect(c.querySelector('img')).toBeNull();
      expect(c.querySelector('.dcb-tool-icon')).toBeNull();
    });

    test.each([
      'red;background:url(x)',
      'url(javascript:alert(1))',
      '#fff;background-image:url(//evil)',
      'red',
      '#12345',
      'expression(alert(1))',
      '',
      5,
      null,
    ])('background %j is ignored', (background) => {
      const c = steps({ meta: meta({ background, content: '🔧' }) });
      const span = c.querySelector('span.dcb-tool-emoji')!;
      expect(span.textContent).toBe('🔧');
      expect(span.hasAttribute('style')).toBe(false);
    });

    test.each([[null], [{}], [{ content: 5 }], [{ content: '' }], [42], [['x']], [true]])('icon %j → nothing', (icon) => {
      const c = steps({ meta: meta(icon) });
      expect(c.querySelector('.dcb-tool-icon')).toBeNull();
    });

    test('missing meta, missing tool_icons, prototype names → no icon', () => {
      expect(steps({ meta: null }).querySelector('.dcb-tool-icon')).toBeNull();
      expect(steps({ meta: {} as AppMeta }).querySelector('.dcb-tool-icon')).toBeNull();
      expect(steps({ meta: { tool_icons: null } as never }).querySelector('.dcb-tool-icon')).toBeNull();
      const c = steps({ meta: { tool_icons: {} }, thoughts: [thought({ tool: 'constructor;toString;__proto__' })] });
      expect(c.querySelector('.dcb-tool-icon')).toBeNull();
      expect(c.querySelectorAll('.dcb-tool')).toHaveLength(3);
    });
  });

  describe('files', () => {
    const files: AnswerFile[] = [
      { id: 'f1', type: 'image', url: '/files/tools/cat.png?sign=1', belongsTo: 'assistant' },
      { id: 'f2', type: 'image', url: 'https://cdn.example/other.png', belongsTo: 'assistant' },
    ];

    test('images of a thought appear under its step, lazy, with alt "Image from <tool>"', () => {
      const c = steps({ files, thoughts: [thought({ fileIds: ['f1', 'missing'] })] });
      const imgs = c.querySelectorAll('.dcb-agent-step img');
      expect(imgs).toHaveLength(1);
      expect(imgs[0]!.getAttribute('src')).toBe('https://api.example/files/tools/cat.png?sign=1');
      expect(imgs[0]!.getAttribute('loading')).toBe('lazy');
      expect(imgs[0]!.getAttribute('alt')).toBe('Image from Current Time');
    });

    test('alt text in Chinese', () => {
      const c = steps({ files, thoughts: [thought({ fileIds: ['f1'] })], locale: 'zh-Hans', strings: answerStrings('zh-Hans') });
      expect(c.querySelector('img')!.getAttribute('alt')).toBe('来自 获取当前时间 的图片');
    });

    test('a hostile file URL gives no img', () => {
      const c = steps({
        files: [{ id: 'f1', type: 'image', url: 'javascript:alert(1)', belongsTo: 'assistant' }],
        thoughts: [thought({ fileIds: ['f1'] })],
      });
      expect(c.querySelector('img')).toBeNull();
    });

    test('agentStepFileIds: ids of tool steps only', () => {
      const ids = agentStepFileIds([thought({ fileIds: ['f1'] }), thought({ id: 'th-2', tool: '', fileIds: ['f2'] })]);
      expect([...ids]).toEqual(['f1']);
    });
  });
});
