import type { MockServer } from '../../demo/server/server.ts';
import type { HostSite } from '../e2e/support/host-page.ts';
import { mockControl, uniqueUser } from '../e2e/support/mock-control.ts';
import type { Driver } from './engines.mjs';
import { smokePage } from './pages.ts';
import { bubbleShown } from './widget.ts';

/** What every journey of the smoke suite gets, and how it starts. */

export interface SmokeContext {
  driver: Driver;
  site: HostSite;
  mock: MockServer;
}

export interface Journey {
  name: string;
  run(context: SmokeContext): Promise<void>;
}

/** The demo chat app's config for a new visitor. */
export const chatConfig = (mock: MockServer, prefix: string) => ({
  token: 'demo-chat',
  baseUrl: mock.url,
  systemVariables: { user_id: uniqueUser(prefix) },
});

/** Opens a plain host page for a new visitor; resolves once its bubble is shown. */
export async function openPage({ driver, site, mock }: SmokeContext, prefix: string, rtl = false) {
  await driver.goto(smokePage(site, { mockUrl: mock.url, config: chatConfig(mock, prefix), rtl }));
  return bubbleShown(driver);
}

/** Runs `run` with the mock streaming tokens `tokenDelayMs` apart, then restores the suite's 4 ms. */
export async function withTokenDelay(mock: MockServer, tokenDelayMs: number, run: () => Promise<void>) {
  const control = mockControl(mock);
  await control.settings({ tokenDelayMs });
  try {
    await run();
  } finally {
    await control.settings({ tokenDelayMs: 4 });
  }
}
