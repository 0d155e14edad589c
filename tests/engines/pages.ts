import { COLLECTOR, strictPage } from '../e2e/support/csp-page.ts';
import { hostPageHtml, type HostSite } from '../e2e/support/host-page.ts';

/**
 * Host pages of the smoke suite, served by the e2e suite's HostSite (a real loopback server under
 * `localhost`, another origin than the mock's `127.0.0.1`, so CORS runs as on a real site).
 */

/**
 * Also records what the widget logs: every `[dify-chatbot] …` problem goes to console.error or
 * console.warn, and not every engine's driver can read the console. With COLLECTOR's uncaught
 * errors and CSP violations, a journey can check that the page stayed quiet in any engine.
 */
const CONSOLE_COLLECTOR = `window.__console = [];
['error', 'warn'].forEach(function (level) {
  var original = console[level];
  console[level] = function () {
    window.__console.push(level + ': ' + Array.prototype.map.call(arguments, String).join(' '));
    return original.apply(console, arguments);
  };
});`;

export interface SmokePageOptions {
  mockUrl: string;
  config: Record<string, unknown>;
  /** Right-to-left host page: `<html dir="rtl" lang="ar">` with Arabic content. */
  rtl?: boolean;
}

/** A plain page with the widget at the end of `<body>`, as Dify's snippet puts it. */
export function smokePage(site: HostSite, { mockUrl, config, rtl = false }: SmokePageOptions): string {
  const html = hostPageHtml(
    {
      config,
      head: `<script>${COLLECTOR}\n${CONSOLE_COLLECTOR}</script>`,
      body: rtl ? '<main><h1>مرحبًا بكم في موقعنا</h1><p>هذه صفحة باللغة العربية، تُكتب من اليمين إلى اليسار.</p></main>' : undefined,
    },
    mockUrl,
  );
  return site.add(rtl ? html.replace('<html lang="en">', '<html dir="rtl" lang="ar">') : html);
}

/**
 * The strictest page of tests/e2e/csp.spec.ts: `default-src 'none'`, the Dify origin allowed
 * where the README says, the inline config allowed by its hash, and Trusted Types required, with
 * the widget's documented policy name as the only one allowed.
 */
export function strictCspPage(site: HostSite, { mockUrl, config }: SmokePageOptions): string {
  const { html, headers } = strictPage({
    mockUrl,
    config,
    extra: ["require-trusted-types-for 'script'", 'trusted-types dify-chatbot'],
  });
  return site.add(html, headers);
}
