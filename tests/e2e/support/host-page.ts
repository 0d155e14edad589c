import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A made-up origin for host pages: requests to it are answered by Playwright, never the network. */
export const SITE = 'http://site.test';

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
  path?: string;
}

/**
 * Serves a host page at {@link SITE} and the built embed from dist/ on the same made-up origin,
 * then navigates to it.
 */
export async function openHostPage(page: Page, options: HostPageOptions = {}): Promise<void> {
  const path = options.path ?? '/';
  await page.route(`${SITE}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === path) {
      await route.fulfill({ contentType: 'text/html; charset=utf-8', body: hostPageHtml(options), headers: options.headers ?? {} });
    } else if (/^\/[\w.-]+\.js$/.test(url.pathname)) {
      try {
        const body = readFileSync(resolve(DIST, url.pathname.slice(1)));
        await route.fulfill({ contentType: 'text/javascript; charset=utf-8', body });
      } catch {
        await route.fulfill({ status: 404, body: 'not found' });
      }
    } else if (url.pathname === '/favicon.ico') {
      await route.fulfill({ status: 204 });
    } else {
      await route.fulfill({ status: 404, body: 'not found' });
    }
  });
  await page.goto(`${SITE}${path}`);
}

export function hostPageHtml(options: HostPageOptions): string {
  const configScript =
    options.config === undefined ? '' : `<script>window.difyChatbotConfig = ${JSON.stringify(options.config)};</script>`;
  const tag = `<script src="/embed.min.js" id="embed-script" ${options.scriptAttributes ?? ''}></script>`;
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
