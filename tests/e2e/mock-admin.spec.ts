import { expect, test } from './support/host-page.ts';
import { mockControl } from './support/mock-control.ts';
import type { MockServer } from '../../demo/server/server.ts';

/**
 * The mock's admin API (/__mock) in a real browser: the QA panel on the demo page keeps working,
 * and another page open in the tester's browser can neither read the request log (passports) nor
 * queue faults (demo/server/admin-access.ts).
 */

const queuedKinds = async (mock: MockServer): Promise<string[]> =>
  ((await (await fetch(`${mock.url}/__mock/state`)).json()) as { faults: { kind: string }[] }).faults.map((f) => f.kind);

test.beforeEach(async ({ mock }) => {
  await mockControl(mock).clearFaults();
});

test('the QA panel on the demo page queues and clears faults and resets the mock', async ({ page, mock }) => {
  await page.goto(`${mock.url}/`);
  const toggle = page.getByRole('button', { name: /^QA/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  // Each QA section says what happened on its own status line, next to the control used.
  const said = (text: string) => page.getByRole('status').filter({ hasText: text });

  await page.getByRole('button', { name: '500', exact: true }).click();
  await expect(said('Queued "500"')).toHaveCount(1);
  expect(await queuedKinds(mock)).toEqual(['server-error']);

  // A change without a body still goes as JSON, so the mock takes it.
  await page.getByRole('button', { name: 'Clear queued faults' }).click();
  await expect(said('Faults cleared.')).toHaveCount(1);
  expect(await queuedKinds(mock)).toEqual([]);
  await page.getByRole('button', { name: 'Reset mock' }).click();
  await expect(said('Mock reset')).toHaveCount(1);
});

test('a page on another origin can neither read the request log nor queue a fault', async ({ page, openHostPage, mock }) => {
  await openHostPage({ script: 'none' });
  const outcome = await page.evaluate(async (mockUrl) => {
    const attempt = (p: Promise<Response>): Promise<string> =>
      p.then(
        (res) => `answered ${res.status}`,
        () => 'blocked',
      );
    const fault = JSON.stringify({ kind: 'server-error', times: 0 });
    return {
      read: await attempt(fetch(`${mockUrl}/__mock/requests`)),
      readWithCookies: await attempt(fetch(`${mockUrl}/__mock/requests`, { credentials: 'include' })),
      // What a hostile page can send without asking first: the answer is opaque, the effect is what counts.
      simplePost: await attempt(
        fetch(`${mockUrl}/__mock/faults`, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: fault }),
      ),
      jsonPost: await attempt(
        fetch(`${mockUrl}/__mock/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: fault }),
      ),
    };
  }, mock.url);
  expect(outcome).toEqual({ read: 'blocked', readWithCookies: 'blocked', simplePost: 'answered 0', jsonPost: 'blocked' });
  expect(await queuedKinds(mock)).toEqual([]);
});
