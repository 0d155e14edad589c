import type { Page } from '@playwright/test';
import { createHash } from 'node:crypto';

/**
 * Host pages under a strict Content-Security-Policy. Inline scripts are allowed one by one through
 * their `'sha256-…'` hash, as many real sites do, so the policy stays strict: no 'unsafe-inline',
 * no 'unsafe-eval', nothing from anywhere but the page's own origin and the Dify server.
 */

export function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/**
 * The first script on every strict page: records CSP violations (from the document and from inside
 * shadow roots, which send theirs composed) and the page's uncaught errors into window arrays.
 */
export const COLLECTOR = `window.__violations = [];
window.__errors = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile, line: e.lineNumber });
}, true);
window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); });
window.addEventListener('unhandledrejection', function (e) { window.__errors.push('unhandled rejection: ' + String(e.reason)); });`;

export interface StrictPageOptions {
  mockUrl: string;
  config: Record<string, unknown>;
  /** Directives replacing the defaults of the same name, e.g. `{ 'style-src': "'nonce-abc'" }`. */
  directives?: Record<string, string>;
  /** Extra directives appended verbatim, e.g. `require-trusted-types-for 'script'`. */
  extra?: string[];
  /** Attributes on the embed script tag. */
  scriptAttributes?: string;
  /** Load embed.min.js from the Dify (mock) server, as Dify's console snippet does, instead of the site. */
  scriptFromMock?: boolean;
}

/** The page HTML and its headers: the config comes from an inline script allowed by its hash. */
export function strictPage({
  mockUrl,
  config,
  directives = {},
  extra = [],
  scriptAttributes = '',
  scriptFromMock = false,
}: StrictPageOptions) {
  const configSource = `window.difyChatbotConfig = ${JSON.stringify(config)};`;
  const policy: Record<string, string> = {
    'default-src': "'none'",
    'script-src': `'self' ${mockUrl} ${cspHash(COLLECTOR)} ${cspHash(configSource)}`,
    'style-src': "'self'",
    'connect-src': mockUrl,
    'img-src': `'self' data: ${mockUrl}`,
    ...directives,
  };
  const csp = [...Object.entries(policy).map(([k, v]) => `${k} ${v}`), ...extra].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Strict CSP host page</title>
<script>${COLLECTOR}</script>
<script>${configSource}</script>
</head>
<body>
<main><h1>A page with a strict Content-Security-Policy</h1><p>Nothing inline runs here unless its hash is allowed.</p></main>
<script src="${scriptFromMock ? mockUrl : ''}/embed.min.js" ${scriptAttributes}></script>
</body>
</html>`;
  return { html, headers: { 'content-security-policy': csp }, csp };
}

/** Violations and errors the page recorded, plus console messages about refused content. */
export function watchCsp(page: Page): {
  refused: string[];
  read(): Promise<{ violations: unknown[]; errors: string[]; refused: string[] }>;
} {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Trusted Type|TrustedScript|TrustedHTML/i.test(m.text())) refused.push(m.text());
  });
  page.on('pageerror', (e) => refused.push(`pageerror: ${e.message}`));
  return {
    refused,
    async read() {
      const { violations, errors } = await page.evaluate(() => {
        const w = window as unknown as { __violations: unknown[]; __errors: string[] };
        return { violations: w.__violations, errors: w.__errors };
      });
      return { violations, errors, refused };
    },
  };
}
