import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay } from '../../relay/index.ts';
import { PAGE, startUpstream, type Upstream, widget } from './helpers.ts';

/**
 * Two relay processes sharing one Redis enforce one limit together. The test runs its own
 * redis-server (Debian's package; .ci/run installs it) on a free loopback port, and the built
 * relay (dist/relay, `npm run build` first).
 */
const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves with the first stdout line matching `ready`. */
function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}: ${output}`));
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!REDIS_SERVER)('two relay processes sharing one Redis (needs redis-server)', () => {
  let upstream: Upstream;
  let redis: ChildProcess | undefined;
  const relays: ChildProcess[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    if (!existsSync('dist/relay/index.js')) throw new Error('dist/relay/index.js is missing: run npm run build first');
    const redisPort = await freePort();
    ({ child: redis } = await startProcess(
      REDIS_SERVER!,
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {},
      /Ready to accept connections/,
    ));
    upstream = await startUpstream();
    await upstream.admin('POST', '/demo-chat/rate-limit', { per_minute: 1000, per_hour: 10000 });
    const env = {
      DIFY_API_URL: `${upstream.mock.url}/v1`,
      DIFY_API_KEY: upstream.key,
      RELAY_ALLOWED_ORIGINS: PAGE,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      RELAY_LIMIT_PER_MINUTE: '60',
      RELAY_LIMIT_PER_HOUR: '3600',
      // Both processes see the test's requests from one IP; this test is about the visitor's limit.
      RELAY_IP_LIMIT_PER_MINUTE: '1000',
    };
    for (let i = 0; i < 2; i++) {
      const { child, match } = await startProcess(process.execPath, ['tests/relay/fixtures/relay-process.mjs'], env, /listening (\d+)/);
      relays.push(child);
      urls.push(`http://127.0.0.1:${match[1]}`);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(relays.map(stop));
    await stop(redis);
    await upstream?.close();
  });

  it('counts one visitor across both: the 60th request passes, the 61st gets 429 from either', async () => {
    // One passport works on both instances (same secret, derived from the same key).
    const a = widget(urls[0]!);
    expect((await a.login()).status).toBe(200);
    const b = widget(urls[1]!);
    b.passport = a.passport;
    // 60 requests of one visitor, alternating instances.
    for (let i = 1; i <= 60; i++) expect((await (i % 2 ? a : b).get('/meta')).status, `request ${i}`).toBe(200);
    for (const w of [a, b]) {
      const refused = await w.get('/meta');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { code: string }).code).toBe('rate_limit_error');
    }
  }, 60_000);
});

describe('a relay whose Redis is down', () => {
  it('still answers (limits pass until Redis is back) and says so in its log', async () => {
    const logged: string[] = [];
    const relay = createRelay({
      difyApiUrl: 'http://127.0.0.1:9/v1',
      apiKey: 'app-x',
      allowedOrigins: [PAGE],
      redisUrl: `redis://:hunter2@127.0.0.1:${await freePort()}`,
      log: (line) => logged.push(line),
    });
    try {
      await relay.ready();
      const res = await relay.fetch(new Request('http://relay.test/passport', { headers: { Origin: PAGE } }));
      expect(res.status).toBe(200);
      expect(logged.join('\n')).toMatch(/Redis/);
      expect(logged.join('\n')).not.toContain('hunter2');
    } finally {
      await relay.close();
    }
  }, 20_000);
});
