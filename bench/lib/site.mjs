/**
 * The website that embeds the widget: a real HTTP server on 127.0.0.1, opened as
 * `http://localhost:<port>` (Chromium's local-network rules block a page fulfilled by `page.route`
 * from calling the loopback mock; a real server is fine). Another origin than the mock's
 * `127.0.0.1`, so CORS runs as on a real site. It serves host pages and every `dist/*.js` file
 * from its root, so a lazily loaded chat file next to embed.min.js is found, and it records
 * which scripts each page fetched.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { ROOT } from './server.mjs';

const DIST = resolve(ROOT, 'dist');

export class HostSite {
  /** @type {Map<string, string>} */
  #pages = new Map();
  #counter = 0;
  /** Paths of dist files served, in order (cleared with `served.length = 0`). @type {string[]} */
  served = [];

  /** @param {import('node:http').Server} server @param {string} origin */
  constructor(server, origin) {
    this.server = server;
    this.origin = origin;
  }

  /** @returns {Promise<HostSite>} */
  static async start() {
    /** @type {HostSite | null} */
    let site = null;
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const html = site?.#pages.get(path);
      if (html !== undefined) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
      } else if (/^\/[\w.-]+\.js$/.test(path)) {
        try {
          const body = readFileSync(resolve(DIST, path.slice(1)));
          site?.served.push(path.slice(1));
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
          res.end(body);
        } catch {
          res.writeHead(404).end();
        }
      } else {
        res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
      }
    });
    await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)));
    const address = /** @type {import('node:net').AddressInfo} */ (server.address());
    site = new HostSite(server, `http://localhost:${address.port}`);
    return site;
  }

  /** Serves a page; returns its URL. @param {string} html */
  add(html) {
    const path = `/page-${++this.#counter}.html`;
    this.#pages.set(path, html);
    return `${this.origin}${path}`;
  }

  /** @returns {Promise<void>} */
  close() {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(() => done()));
  }
}

/**
 * A plain host page. `config` becomes `window.difyChatbotConfig` (as Dify's snippet does);
 * `beforeScript` is inline script run right before the embed `<script src>`; `script: false`
 * gives the same page without the widget (the blank baseline).
 * @param {{ config?: unknown, beforeScript?: string, script?: boolean }} options
 */
export function hostPage({ config, beforeScript = '', script = true }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Benchmark host page</title>
${config === undefined ? '' : `<script>window.difyChatbotConfig = ${JSON.stringify(config)};</script>`}
</head>
<body>
<main><h1>Welcome to the host page</h1><p>Some content the visitor reads.</p></main>
${beforeScript ? `<script>${beforeScript}</script>` : ''}
${script ? '<script src="/embed.min.js"></script>' : ''}
</body>
</html>`;
}
