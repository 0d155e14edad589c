// @vitest-environment happy-dom
import { render } from 'preact';
import { describe, expect, test } from 'vitest';
import type { ImagePolicy } from '../../../../src/config/types.ts';
import { answerEn } from '../../../../src/i18n/answer-strings.ts';
import type { AgentThought, AnswerFile } from '../../../../src/state/answer.ts';
import { AgentSteps } from '../../../../src/ui/answer/AgentSteps.tsx';
import { AnswerFiles } from '../../../../src/ui/answer/AnswerFiles.tsx';

const API = 'https://api.example';
const toolFile: AnswerFile = { id: 'i1', type: 'image', url: '/files/tools/x.png?timestamp=1&sign=a', belongsTo: 'assistant' };
const remote: AnswerFile = {
  id: 'i2',
  type: 'custom',
  mimeType: 'image/png',
  url: 'https://tracker.example/p.png',
  belongsTo: 'assistant',
  filename: 'p.png',
};

function files(list: AnswerFile[], images?: ImagePolicy): HTMLElement {
  const c = document.createElement('div');
  render(<AnswerFiles files={list} imageBase={API} images={images} strings={answerEn} />, c);
  return c;
}

const srcs = (c: HTMLElement) => [...c.querySelectorAll('img')].map((i) => i.getAttribute('src'));
const links = (c: HTMLElement) =>
  [...c.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.querySelector('.dcb-file-name')?.textContent]);

describe('AnswerFiles under the images policy', () => {
  test('"all" (and no policy) loads message_file images from Dify and elsewhere, without a referrer', () => {
    for (const c of [files([toolFile, remote]), files([toolFile, remote], 'all')]) {
      expect(srcs(c)).toEqual([`${API}/files/tools/x.png?timestamp=1&sign=a`, 'https://tracker.example/p.png']);
      for (const img of c.querySelectorAll('img')) expect(img.getAttribute('referrerpolicy')).toBe('no-referrer');
    }
  });

  test('"dify" loads Dify\'s files and makes the rest download links, named by the file', () => {
    const c = files([toolFile, remote], 'dify');
    expect(srcs(c)).toEqual([`${API}/files/tools/x.png?timestamp=1&sign=a`]);
    expect(links(c)).toEqual([['https://tracker.example/p.png', 'p.png']]);
  });

  test('"none" makes every image a link; one without a name is called "Image", not "File"', () => {
    const c = files([toolFile, remote], 'none');
    expect(srcs(c)).toEqual([]);
    expect(links(c)).toEqual([
      [`${API}/files/tools/x.png?timestamp=1&sign=a`, 'x.png'],
      ['https://tracker.example/p.png', 'p.png'],
    ]);
    const unnamed = files([{ ...toolFile, url: '/files/abc/file-preview?sign=1' }], 'none');
    expect(links(unnamed)).toEqual([[`${API}/files/abc/file-preview?sign=1`, 'file-preview']]);
  });

  test('a list of origins loads those only', () => {
    const c = files([toolFile, remote], ['https://tracker.example']);
    expect(srcs(c)).toEqual(['https://tracker.example/p.png']);
    expect(links(c)).toEqual([[`${API}/files/tools/x.png?timestamp=1&sign=a`, 'x.png']]);
  });

  test("a relative image URL outside Dify's file routes is neither loaded nor linked: its name stays as text", () => {
    const c = files([{ ...toolFile, url: '/api/passport', filename: 'passport.png' }]);
    expect(c.querySelector('img, a')).toBeNull();
    expect(c.textContent).toBe('passport.png');
  });
});

describe('Agent steps pass the policy to the files a tool made', () => {
  const thought: AgentThought = {
    id: 't1',
    position: 1,
    thought: '',
    observation: 'done',
    tool: 'dalle',
    toolLabels: {},
    toolInput: '{}',
    fileIds: ['i2'],
  };

  test.each([
    ['all', 1],
    ['dify', 0],
  ] as const)('%s', (images, loaded) => {
    const c = document.createElement('div');
    render(
      <AgentSteps
        thoughts={[thought]}
        files={[remote]}
        meta={null}
        locale="en"
        imageBase={API}
        images={images}
        running={false}
        strings={answerEn}
      />,
      c,
    );
    expect(c.querySelectorAll('img')).toHaveLength(loaded);
    expect(c.querySelectorAll('a[href="https://tracker.example/p.png"]')).toHaveLength(1 - loaded);
  });
});
