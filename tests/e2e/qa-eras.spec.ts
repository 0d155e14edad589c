import { expect, test } from './support/host-page.ts';
import { mockControl } from './support/mock-control.ts';

/*
 * The demo page's QA panel switches the Dify version (era) the mock speaks per app, and the New Agent
 * app's published state (demo/README.md "Dify versions"). The mock is shared by the worker's specs,
 * so each change is put back.
 */
async function appState(url: string, key: string): Promise<Record<string, unknown>> {
  const state = (await (await fetch(`${url}/__mock/state`)).json()) as { apps: Record<string, unknown>[] };
  return state.apps.find((app) => app.key === key)!;
}

test('QA panel: the selected app gets a Dify version; New Agent apps can be unpublished', async ({ page, mock }) => {
  const control = mockControl(mock);
  try {
    await page.goto(`${mock.url}/`);
    await page.getByRole('button', { name: /^QA/ }).click();
    const app = page.locator('#qa-app');
    await expect(app.locator('option[value="demo-hitl"]')).toHaveText(/demo-hitl \(advanced-chat, 1\.16\)/);
    await app.selectOption('demo-flow');
    await page.locator('summary', { hasText: 'Deployment' }).click();
    const era = page.getByLabel('Dify version of the selected app');
    await expect(era).toHaveValue('1.12');
    await era.selectOption('1.16');
    await expect(page.locator('#qa-status')).toHaveText('demo-flow now speaks Dify 1.16.');
    await expect.poll(async () => (await appState(mock.url, 'demo-flow')).era).toBe('1.16');
    await expect(app.locator('option[value="demo-flow"]')).toHaveText(/\(advanced-chat, 1\.16\)/);

    await app.selectOption('demo-new-agent');
    await expect(era).toHaveValue('1.16');
    await expect(era.locator('option[value="1.13.1"]')).toBeDisabled();
    const published = page.getByLabel(/New Agent published/);
    await expect(published).toBeChecked();
    await published.uncheck();
    await expect(page.locator('#qa-status')).toHaveText('demo-new-agent is unpublished.');
    await expect.poll(async () => (await appState(mock.url, 'demo-new-agent')).published).toBe(false);

    await app.selectOption('demo-chat');
    await expect(published).toBeHidden();
  } finally {
    await control.app('demo-flow', { era: '1.12' });
    await control.app('demo-new-agent', { published: true });
  }
});
