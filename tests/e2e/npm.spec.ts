import * as esbuild from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, widget } from './support/host-page.ts';
import { uniqueUser } from './support/mock-control.ts';

/**
 * The npm package as a site's own bundler would use it: an app that imports `mountChatbot` from
 * the built ESM (dist/esm, with preact, marked and the rest resolved from node_modules), bundled
 * by esbuild with code splitting, served from the host site under /app/.
 */
let outdir = '';

test.beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'dify-chatbot-npm-'));
  await esbuild.build({
    stdin: {
      contents: `import { mountChatbot } from './dist/esm/index.js';\nmountChatbot(window.difyChatbotConfig);`,
      resolveDir: resolve('.'),
      sourcefile: 'app.js',
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir,
    entryNames: 'app',
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
  });
});

test.afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test('npm: the app bundle draws the bubble; the chat is a chunk of its own that loads on intent and answers', async ({
  page,
  openHostPage,
  mock,
}) => {
  const chunks: string[] = [];
  await page.route('**/app/*.js', (route) => {
    const name = new URL(route.request().url()).pathname.slice('/app/'.length);
    chunks.push(name);
    return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(outdir, name)) });
  });
  await openHostPage({
    config: { token: 'demo-chat', baseUrl: mock.url, prefetch: false, systemVariables: { user_id: uniqueUser() } },
    script: 'none',
    body: '<main><h1>An app with its own bundler</h1></main><script type="module" src="/app/app.js"></script>',
  });
  await expect(widget.bubble(page)).toBeVisible();
  await page.waitForTimeout(500);
  // The chat chunk (it holds marked's lexer, the one module with `inlineQueue`) is not loaded yet.
  const chatChunk = (names: string[]) => names.filter((n) => readFileSync(join(outdir, n), 'utf8').includes('inlineQueue'));
  expect(chatChunk(chunks)).toEqual([]);

  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
  expect(chatChunk(chunks)).toHaveLength(1);
  await widget.composer(page).fill('Hello from npm');
  await widget.composer(page).press('Enter');
  await expect(widget.window(page).locator('.turn .answer').last()).toHaveAttribute('data-status', 'done');
  await expect(widget.window(page).locator('.turn .answer').last()).toContainText('Hello from npm');
  // A plain chat answer needs neither the answer extras nor another language (both are chunks,
  // named after their module in src/parts/).
  const parts = /^(extras|zh-Hans)-/;
  expect(readdirSync(outdir).filter((n) => parts.test(n))).toHaveLength(2);
  expect(chunks.filter((n) => parts.test(n))).toEqual([]);
});
