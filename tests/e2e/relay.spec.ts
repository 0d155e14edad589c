import type { Page } from '@playwright/test';
import { signVisitor } from '../../relay/index.ts';
import { type RunningRelay, serveRelay, startUpstream, type Upstream } from '../relay/helpers.ts';
import { expect, test, widget } from './support/host-page.ts';
import { uniqueUser } from './support/mock-control.ts';

/**
 * The widget, unchanged, through the relay (dify-chatbot-embed/relay) against the mock's service
 * API: the page knows only the relay's URL; the key stays in the relay. Each test starts its own
 * relay with the options it is about.
 */
const IDENTITY_SECRET = 'e2e-site-secret';

let upstream: Upstream;
test.beforeAll(async () => {
  upstream = await startUpstream('demo-chat', 25);
  // The mock's own per-app limit is not what these tests are about.
  await upstream.admin('POST', '/demo-chat/rate-limit', { per_minute: 10_000, per_hour: 100_000 });
});
test.afterAll(async () => upstream?.close());

const relays: RunningRelay[] = [];
test.afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

async function startRelay(origin: string, extra: Parameters<typeof serveRelay>[0] extends infer O ? Partial<O> : never = {}) {
  const relay = await serveRelay({
    difyApiUrl: `${upstream.mock.url}/v1`,
    apiKey: upstream.key,
    allowedOrigins: [origin],
    identitySecret: IDENTITY_SECRET,
    ...extra,
  });
  relays.push(relay);
  return relay;
}

async function openThroughRelay(page: Page, openHostPage: (o: { config: unknown }) => Promise<void>, relayUrl: string, userId?: string) {
  await openHostPage({ config: { token: 'relay', apiBaseUrl: relayUrl, ...(userId ? { systemVariables: { user_id: userId } } : {}) } });
  await widget.bubble(page).click();
  await expect(widget.composer(page)).toBeFocused();
}

async function ask(page: Page, question: string) {
  await widget.composer(page).fill(question);
  await widget.composer(page).press('Enter');
}

const lastTurn = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn').last();
/** A refusal at start-up: the chat says why in place of the conversation. */
async function expectStartupError(page: Page, text: string) {
  await expect(page.getByRole('dialog', { name: 'Chat' }).getByRole('paragraph').filter({ hasText: text })).toBeVisible();
}
const lastAnswer = (page: Page) => page.locator('#dify-chatbot-bubble-window .turn .answer').last();

test('a signed-in visitor chats through the relay: the answer streams, and Dify sees the signed user', async ({
  page,
  openHostPage,
  site,
}) => {
  const relay = await startRelay(site.origin);
  const user = uniqueUser();
  await openThroughRelay(page, openHostPage, relay.url, await signVisitor(user, Math.floor(Date.now() / 1000) + 3600, IDENTITY_SECRET));
  await expect(page.getByText('Acme Support (chat)')).toBeVisible();
  await ask(page, 'What are your opening hours?');
  // Streaming: the answer is on screen, still growing, before it is done.
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming');
  await expect(lastAnswer(page)).toContainText('You asked: “What are your opening hours?”');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  const conversations = await upstream.conversationsOf(user);
  expect(conversations).toHaveLength(1);
  // Nothing the page holds is the key.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).not.toContain(upstream.key);
  expect(stored).toContain('rp1.');
});

test('an anonymous visitor chats too, as an id of the relay', async ({ page, openHostPage, site }) => {
  const relay = await startRelay(site.origin);
  await openThroughRelay(page, openHostPage, relay.url);
  await ask(page, 'hello anonymously');
  await expect(lastAnswer(page)).toContainText('You asked: “hello anonymously”');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
});

test('a page of another origin gets a clear refusal', async ({ page, openHostPage }) => {
  const relay = await startRelay('https://the-real-shop.example');
  const refusal = page.waitForResponse((r) => r.url().startsWith(relay.url) && r.status() === 403);
  await openThroughRelay(page, openHostPage, relay.url);
  const body = await (await refusal).json();
  expect(body).toMatchObject({ code: 'forbidden', status: 403 });
  expect(body.message).toMatch(/does not serve pages of http:\/\/localhost:\d+/);
  await expectStartupError(page, 'This chat is unavailable right now.');
  // The widget locks the box with the reason rather than take a question that can only fail.
  await expect(widget.composer(page)).not.toBeEditable();
  await expect(widget.composer(page)).toHaveAccessibleDescription('This chat is unavailable right now.');
  await expect(page.getByRole('dialog', { name: 'Chat' }).getByRole('button', { name: 'Send message' })).toBeDisabled();
});

for (const [name, makeId, message] of [
  [
    'a forged',
    async (user: string) => signVisitor(user, Math.floor(Date.now() / 1000) + 3600, 'a guessed secret'),
    /not signed by the site/,
  ],
  ['an expired', async (user: string) => signVisitor(user, Math.floor(Date.now() / 1000) - 60, IDENTITY_SECRET), /has expired/],
] as const) {
  test(`${name} visitor signature gets a clear refusal, and no chat as that user`, async ({ page, openHostPage, site }) => {
    const relay = await startRelay(site.origin);
    const user = uniqueUser();
    const refusal = page.waitForResponse((r) => r.url().startsWith(`${relay.url}/passport`) && r.status() === 401);
    let passportRefusals = 0;
    page.on('response', (r) => {
      if (r.url().startsWith(`${relay.url}/passport`) && r.status() === 401) passportRefusals++;
    });
    await openThroughRelay(page, openHostPage, relay.url, await makeId(user));
    expect(((await (await refusal).json()) as { message: string }).message).toMatch(message);
    await expectStartupError(page, 'Your chat session could not be renewed.');
    // Trying again asks the relay again, which refuses again: no answer, no conversation as that user.
    await page.getByRole('dialog', { name: 'Chat' }).getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => passportRefusals).toBeGreaterThanOrEqual(2);
    await expectStartupError(page, 'Your chat session could not be renewed.');
    expect(await upstream.conversationsOf(user)).toHaveLength(0);
  });
}

test('an exhausted visitor limit gets a clear 429 with Retry-After, and no retry storm', async ({ page, openHostPage, site }) => {
  // Start-up takes three visitor requests (site, parameters, meta); the first question is the fourth.
  const relay = await startRelay(site.origin, { visitorLimit: { perMinute: 4, perHour: 100 } });
  await openThroughRelay(page, openHostPage, relay.url);
  await ask(page, 'first question');
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
  const refusals: { status: number; retryAfter: string | null; body: string }[] = [];
  page.on('response', async (r) => {
    if (r.url().startsWith(`${relay.url}/chat-messages`) && r.status() === 429) {
      refusals.push({ status: r.status(), retryAfter: await r.headerValue('retry-after'), body: await r.text() });
    }
  });
  await ask(page, 'second question');
  await expect(lastTurn(page).locator('.error-note')).toContainText('The usage limit has been reached.');
  await expect.poll(() => refusals.length).toBe(1);
  expect(Number(refusals[0]!.retryAfter)).toBeGreaterThan(0);
  expect(JSON.parse(refusals[0]!.body)).toMatchObject({ code: 'rate_limit_error', status: 429 });
});
