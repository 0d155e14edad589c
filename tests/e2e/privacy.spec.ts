import type { Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOOL_PNG } from '../../demo/server/png.ts';
import { expect, test, widget } from './support/host-page.ts';
import { mockControl, uniqueUser } from './support/mock-control.ts';

/*
 * What the widget lets others learn about the visitor (docs/SECURITY.md): which images in an
 * answer load by themselves under the `images` option, and what it leaves in the page's storage
 * under the `storage` option and after forget().
 */

/** Another host an answer may name: it serves a PNG at any path and remembers who asked, and with which Referer. */
class OtherHost {
  readonly requests: Array<{ path: string; referer: string | undefined }> = [];
  private constructor(
    private server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<OtherHost> {
    let host: OtherHost | null = null;
    const server = createServer((req, res) => {
      host?.requests.push({ path: req.url ?? '', referer: req.headers.referer });
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(TOOL_PNG);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    host = new OtherHost(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return host;
  }

  close = () => new Promise<void>((done) => this.server.close(() => done()));
}

let other: OtherHost;
test.beforeAll(async () => {
  other = await OtherHost.start();
});
test.afterAll(() => other.close());
test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
  await mockControl(mock).settings({ tokenDelayMs: 4, filesUrl: '' });
});
// The mock is shared by the worker's later specs: FILES_URL must not stay on the other host.
test.afterEach(async ({ mock }) => {
  await mockControl(mock).settings({ filesUrl: '' });
});

const answer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

/** Image requests the page made to the mock's file routes, with their Referer. */
function watchDifyFiles(page: Page, mockUrl: string): Array<{ url: string; referer: string | undefined }> {
  const seen: Array<{ url: string; referer: string | undefined }> = [];
  page.on('request', async (request) => {
    if (!request.url().startsWith(`${mockUrl}/files/`)) return;
    seen.push({ url: request.url(), referer: (await request.allHeaders()).referer });
  });
  return seen;
}

/** Every image in the answer has loaded (the positive signal before judging what was not fetched). */
async function imagesLoaded(page: Page, count: number) {
  const images = answer(page).locator('img');
  await expect(images).toHaveCount(count);
  for (const img of await images.all())
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
}

/**
 * Opens the chat with `images` and asks a question the mock echoes: its answer carries an image
 * on the other host, one of Dify's tool files (relative, as Dify signs them with FILES_URL unset)
 * and a relative path into Dify's API, a probe that must never be fetched.
 */
async function askForImages(page: Page, openHostPage: (o: object) => Promise<void>, mockUrl: string, images: unknown) {
  const stamp = Date.now().toString(36);
  const urls = {
    other: `${other.origin}/pixel-${stamp}.png`,
    file: `/files/tools/e2e-${stamp}.png`,
    probe: `/api/e2e-probe-${stamp}.png`,
  };
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mockUrl, images, systemVariables: { user_id: uniqueUser() } } });
  await widget.bubble(page).click();
  await widget.composer(page).fill(`![on the other host](${urls.other}) ![a Dify file](${urls.file}) ![the probe](${urls.probe})`);
  await widget.composer(page).press('Enter');
  await expect(answer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  return urls;
}

/** What the answer shows for each image: `img` (loading), `link` (to follow), or `text`. */
async function shown(page: Page) {
  return answer(page).evaluate((el) => {
    const out: Record<string, string> = {};
    for (const img of el.querySelectorAll('img')) out[img.alt] = `img ${img.src}`;
    for (const a of el.querySelectorAll('a')) out[a.textContent ?? ''] = `link ${a.href}`;
    if (el.textContent?.includes('the probe') && !el.querySelector('[alt="the probe"]')) out['the probe'] = 'text';
    return out;
  });
}

test('images: "all" loads the other host\'s image and Dify\'s file, with no Referer; a relative path into the API is only text', async ({
  page,
  openHostPage,
  mock,
}) => {
  const difyFiles = watchDifyFiles(page, mock.url);
  await mockControl(mock).clearRequests();
  const urls = await askForImages(page, openHostPage, mock.url, 'all');
  await imagesLoaded(page, 2);
  expect(await shown(page)).toEqual({
    'on the other host': `img ${urls.other}`,
    'a Dify file': `img ${mock.url}${urls.file}`,
    'the probe': 'text',
  });
  expect(other.requests.filter((r) => r.path === new URL(urls.other).pathname)).toEqual([
    { path: new URL(urls.other).pathname, referer: undefined },
  ]);
  expect(difyFiles).toEqual([{ url: `${mock.url}${urls.file}`, referer: undefined }]);
  // The mock's log of /api requests: the probe never reached it.
  expect((await mockControl(mock).requests('/api/e2e-probe')).map((r) => r.path)).toEqual([]);
});

test('images: "dify" loads Dify\'s file only; the other host\'s image is a link and the host hears nothing', async ({
  page,
  openHostPage,
  mock,
}) => {
  const difyFiles = watchDifyFiles(page, mock.url);
  const urls = await askForImages(page, openHostPage, mock.url, 'dify');
  await imagesLoaded(page, 1);
  expect(await shown(page)).toEqual({
    'on the other host': `link ${urls.other}`,
    'a Dify file': `img ${mock.url}${urls.file}`,
    'the probe': 'text',
  });
  expect(difyFiles.map((r) => r.referer)).toEqual([undefined]);
  expect(other.requests.filter((r) => r.path === new URL(urls.other).pathname)).toEqual([]);
});

test('images: "none" loads nothing; both images are links, and the link to follow is real', async ({ page, openHostPage, mock }) => {
  const difyFiles = watchDifyFiles(page, mock.url);
  const urls = await askForImages(page, openHostPage, mock.url, 'none');
  await expect(answer(page).locator('a')).toHaveCount(2);
  await expect(answer(page).locator('img')).toHaveCount(0);
  expect(await shown(page)).toEqual({
    'on the other host': `link ${urls.other}`,
    'a Dify file': `link ${mock.url}${urls.file}`,
    'the probe': 'text',
  });
  expect(difyFiles).toEqual([]);
  expect(other.requests.filter((r) => r.path === new URL(urls.other).pathname)).toEqual([]);
  await expect(answer(page).getByRole('link', { name: 'on the other host' })).toHaveAttribute('rel', 'noopener noreferrer');
});

test('images: a list of origins loads from those only', async ({ page, openHostPage, mock }) => {
  const difyFiles = watchDifyFiles(page, mock.url);
  const urls = await askForImages(page, openHostPage, mock.url, [other.origin]);
  await imagesLoaded(page, 1);
  expect(await shown(page)).toEqual({
    'on the other host': `img ${urls.other}`,
    'a Dify file': `link ${mock.url}${urls.file}`,
    'the probe': 'text',
  });
  expect(difyFiles).toEqual([]);
  expect(other.requests.filter((r) => r.path === new URL(urls.other).pathname)).toEqual([
    { path: new URL(urls.other).pathname, referer: undefined },
  ]);
});

test("images: a tool's message_file follows the policy too, wherever FILES_URL puts it", async ({ page, openHostPage, mock }) => {
  const open = async (images: string) => {
    await openHostPage({ config: { token: 'demo-agent', baseUrl: mock.url, images, systemVariables: { user_id: uniqueUser() } } });
    await widget.bubble(page).click();
    await widget.composer(page).fill('Draw me an image');
    await widget.composer(page).press('Enter');
    await expect(answer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  };
  // Dify's own file (FILES_URL unset: relative): loads under "dify".
  await open('dify');
  await expect(answer(page).locator('img.dcb-answer-image')).toHaveCount(1);
  await expect
    .poll(() =>
      answer(page)
        .locator('img.dcb-answer-image')
        .evaluate((el: HTMLImageElement) => el.naturalWidth),
    )
    .toBeGreaterThan(0);

  // FILES_URL on another host: under "dify" the file is a link and that host hears nothing.
  await mockControl(mock).settings({ filesUrl: other.origin });
  const before = other.requests.length;
  await open('dify');
  await expect(answer(page).locator('.dcb-file-link')).toHaveCount(1);
  await expect(answer(page).locator('.dcb-file-link')).toHaveAttribute('href', new RegExp(`^${other.origin}/files/tools/`));
  await expect(answer(page).locator('img.dcb-answer-image')).toHaveCount(0);
  expect(other.requests.slice(before)).toEqual([]);
});

// ---- Storage ----------------------------------------------------------------------------------

/** A conversation, a draft and a drag: everything the widget may want to keep. */
async function useEverything(page: Page) {
  await widget.bubble(page).click();
  await widget.composer(page).fill('remember this conversation');
  await widget.composer(page).press('Enter');
  await expect(answer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  await widget.composer(page).fill('a draft, half written');
  await widget.bubble(page).click();
  const b = (await widget.bubbleHost(page).boundingBox())!;
  await page.mouse.move(b.x + 24, b.y + 24);
  await page.mouse.down();
  await page.mouse.move(300, 300, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await widget.bubbleHost(page).boundingBox())!.x)).toBe(276);
}

const stored = (page: Page) =>
  page.evaluate(() => ({ local: Object.keys(localStorage).sort(), session: Object.keys(sessionStorage).sort() }));

test('storage "local" (the default) keeps exactly the keys the README lists', async ({ page, openHostPage, mock }) => {
  const user = uniqueUser();
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, draggable: true, systemVariables: { user_id: user } } });
  await useEverything(page);
  await expect
    .poll(() => stored(page))
    .toEqual({
      local: [
        'dify-chatbot:bubble-position:demo-chat',
        `dify-chatbot:conversation:demo-chat:${user}`,
        `dify-chatbot:draft:demo-chat:${user}`,
        `dify-chatbot:passport:demo-chat:${user}`,
      ],
      session: [],
    });
});

test('storage "memory" leaves nothing in localStorage or sessionStorage after a conversation, a draft and a drag', async ({
  page,
  openHostPage,
  mock,
}) => {
  await openHostPage({ config: { token: 'demo-chat', baseUrl: mock.url, draggable: true, storage: 'memory' } });
  await useEverything(page);
  expect(await stored(page)).toEqual({ local: [], session: [] });
  // Kept for the page's life: the draft is still there after the window is opened again.
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toHaveValue('a draft, half written');
  expect(await stored(page)).toEqual({ local: [], session: [] });
});

test("forget() removes the widget and every key it wrote, in both storages, for any user; the page's own keys stay", async ({
  page,
  openHostPage,
  mock,
}) => {
  await openHostPage({
    config: { token: 'demo-chat', baseUrl: mock.url, draggable: true },
    head: `<script>
      localStorage.setItem('site-cart', '3 items');
      sessionStorage.setItem('dify-chatbot:draft:demo-chat:earlier-user', 'from a session-storage visit');
      localStorage.setItem('dify-chatbot:passport:demo-chat:earlier-user', 'an earlier visitor');
    </script>`,
  });
  await useEverything(page);
  expect((await stored(page)).local.length).toBeGreaterThan(3);
  await page.evaluate(() => (window as unknown as { difyChatbot: { forget(): void } }).difyChatbot.forget());
  await expect(widget.bubbleHost(page)).toHaveCount(0);
  expect(await stored(page)).toEqual({ local: ['site-cart'], session: [] });
});
