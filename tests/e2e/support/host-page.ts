import { test as base, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { startMockServer, type MockServer } from '../../../demo/server/server.ts';

const DIST = resolve('dist');

export interface HostPageOptions {
  /** `window.difyChatbotConfig`; serialised into an inline script as Dify's snippet does. */
  config?: unknown;
  /** Extra markup in <head> (e.g. the console snippet's <style> block). */
  head?: string;
  /** Page body before the embed script. */
  body?: string;
  /** Where the embed script tag goes; `none` leaves it out (for late injection). */
  script?: 'head' | 'body-end' | 'none';
  /** Attributes on the script tag, e.g. `defer` or `async`. */
  scriptAttributes?: string;
  /** Load the script twice. */
  twice?: boolean;
  /** Extra response headers for the page (e.g. Content-Security-Policy). */
  headers?: Record<string, string>;
  /** Load embed.min.js from the mock server (as Dify's snippet does) instead of the site. */
  scriptFromMock?: boolean;
}

/**
 * A website that embeds the widget: a real HTTP server on loopback (so Chromium's local-network
 * rules let it call the mock server, which is also on loopback) under the `localhost` name, so
 * it is another origin than the mock's `127.0.0.1` and CORS is exercised as on a real site.
 */
export class HostSite {
  private pages = new Map<string, { html: string; headers: Record<string, string> }>();
  private counter = 0;
  private constructor(
    private server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<HostSite> {
    let site: HostSite | null = null;
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const page = site?.pages.get(path);
      if (page) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers });
        res.end(page.html);
      } else if (path === '/favicon.ico') {
        res.writeHead(204).end();
      } else if (/^\/[\w.-]+\.(js|map)$/.test(path)) {
        try {
          const body = readFileSync(resolve(DIST, path.slice(1)));
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
          res.end(body);
        } catch {
          res.writeHead(404).end();
        }
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    site = new HostSite(server, `http://localhost:${(server.address() as AddressInfo).port}`);
    return site;
  }

  /** Serves a page and returns its URL. */
  add(html: string, headers: Record<string, string> = {}): string {
    const path = `/page-${++this.counter}.html`;
    this.pages.set(path, { html, headers });
    return `${this.origin}${path}`;
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

export interface Fixtures {
  /** Opens a host page with the widget configured for the mock server by default. */
  openHostPage(options?: HostPageOptions): Promise<void>;
}

export interface WorkerFixtures {
  site: HostSite;
  mock: MockServer;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  site: [
    async ({}, use) => {
      const site = await HostSite.start();
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  mock: [
    async ({}, use) => {
      const mock = await startMockServer({ port: 0, dataFile: null, tokenDelayMs: 4, quiet: true });
      await use(mock);
      await mock.close();
    },
    { scope: 'worker' },
  ],
  openHostPage: async ({ page, site, mock }, use) => {
    await use(async (options = {}) => {
      await page.goto(site.add(hostPageHtml(options, mock.url), options.headers));
    });
  },
});

export { expect } from '@playwright/test';

export function hostPageHtml(options: HostPageOptions, mockUrl: string): string {
  const configScript =
    options.config === undefined
      ? ''
      : `<script>window.difyChatbotConfig = ${JSON.stringify(options.config).replace(/</g, '\\u003c')};</script>`;
  const src = options.scriptFromMock ? `${mockUrl}/embed.min.js` : '/embed.min.js';
  const tag = `<script src="${src}" id="embed-script" ${options.scriptAttributes ?? ''}></script>`;
  const tags = options.twice ? tag + tag.replace('embed-script', 'embed-script-2') : tag;
  const where = options.script ?? 'body-end';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page</title>
${configScript}
${where === 'head' ? tags : ''}
${options.head ?? ''}
</head>
<body>
${options.body ?? '<main><h1>Welcome to the host page</h1><p>Some content the visitor reads.</p></main>'}
${where === 'body-end' ? tags : ''}
</body>
</html>`;
}

/** Locators used across specs. */
export const widget = {
  bubbleHost: (page: Page) => page.locator('#dify-chatbot-bubble-button'),
  bubble: (page: Page) => page.locator('#dify-chatbot-bubble-button button'),
  window: (page: Page) => page.locator('#dify-chatbot-bubble-window'),
  composer: (page: Page) => page.getByRole('textbox', { name: 'Message' }),
};
