#!/usr/bin/env node
/**
 * `npm run bench`: the widget's performance figures, printed as tables with medians and
 * min–max over N runs, and written to bench/results.json with the machine they were taken on.
 *
 * It builds nothing: run `npm run build` first (the bench uses dist/embed.min.js, any dist/chat*.js
 * and dist/mock/server.js). Benchmarks print figures; they are never part of the test pass/fail.
 *
 *   node bench/run.mjs [--runs 5] [--only size,startup,open,first-token,streaming,history,engines,relay,worst-case]
 *                      [--stream-runs 3]
 *
 * See bench/README.md for what each figure means and how it is measured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH, launchBrowser } from './lib/browser.mjs';
import { ROOT, startMock } from './lib/server.mjs';
import { HostSite } from './lib/site.mjs';
import * as size from './measures/size.mjs';
import * as startup from './measures/startup.mjs';
import * as open from './measures/open.mjs';
import * as firstToken from './measures/first-token.mjs';
import * as streaming from './measures/streaming.mjs';
import * as history from './measures/history.mjs';
import * as engines from './measures/engines.mjs';
import * as relay from './measures/relay.mjs';
import * as worstCase from './measures/worst-case.mjs';

/** Each measurement: its key, how to run it, how to print it, and its run count. */
const MEASURES = [
  { key: 'size', run: size.measureSize, print: size.printSize },
  { key: 'startup', run: startup.measureStartup, print: startup.printStartup },
  { key: 'open', run: open.measureOpen, print: open.printOpen },
  { key: 'first-token', run: firstToken.measureFirstToken, print: firstToken.printFirstToken },
  { key: 'streaming', run: streaming.measureStreaming, print: streaming.printStreaming, streaming: true },
  { key: 'history', run: history.measureHistory, print: history.printHistory },
  { key: 'engines', run: engines.measureEngines, print: engines.printEngines },
  { key: 'relay', run: relay.measureRelay, print: relay.printRelay },
  { key: 'worst-case', run: worstCase.measureWorstCase, print: worstCase.printWorstCase, streaming: true },
];
/** The whole bench gives up after this long (a hung browser must not hang CI or a terminal). */
const TIME_LIMIT_MS = 15 * 60 * 1000;

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'stream-runs': { type: 'string' },
    only: { type: 'string' },
  },
});
const runs = Math.max(1, Number(args.runs) || 5);
// One streamed 50k answer takes ~40 s at 100 tokens/s; three runs keep the bench near 5 minutes.
const streamRuns = Math.max(1, Number(args['stream-runs']) || Math.min(runs, 3));
const only = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : null;
for (const key of only ?? []) if (!MEASURES.some((m) => m.key === key)) throw new Error(`unknown measurement ${key}`);

if (!existsSync(resolve(ROOT, 'dist', 'embed.min.js'))) {
  console.log('dist/embed.min.js is missing: running `node build.mjs` once.');
  execFileSync(process.execPath, ['build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

const watchdog = setTimeout(() => {
  console.error(`bench: over ${TIME_LIMIT_MS / 60000} minutes, giving up`);
  process.exit(2);
}, TIME_LIMIT_MS);
watchdog.unref();

const started = Date.now();
const loadBefore = os.loadavg();
let mock = await startMock({ tokenDelayMs: 10 });
const site = await HostSite.start();
let browser = await launchBrowser();
const chromium = browser.version();
/** @type {Record<string, unknown>} */
const results = {};
/** @type {Record<string, number>} */
const seconds = {};
try {
  console.log(`bench: ${runs} run(s) per measurement (${streamRuns} for streaming); mock ${mock.url}, host page ${site.origin}`);
  /** Something else on the machine may end our mock or browser: start them again. */
  const revive = async () => {
    if (!mock.alive) {
      console.error(`\n(the mock server had exited (${mock.exitStatus}); starting it again)`);
      mock = await startMock({ tokenDelayMs: 10 });
    }
    if (!browser.isConnected()) {
      console.error('\n(the browser had gone away; launching it again)');
      browser = await launchBrowser();
    }
  };
  for (const measure of MEASURES) {
    if (only && !only.has(measure.key)) continue;
    const t = Date.now();
    for (let attempt = 1; ; attempt++) {
      await revive();
      const env = { browser, site, mockUrl: mock.url, runs: measure.streaming ? streamRuns : runs };
      try {
        const result = await measure.run(env);
        results[measure.key] = result;
        measure.print(/** @type {any} */ (result));
        break;
      } catch (error) {
        // Retry once when the failure came from the mock or browser being gone.
        if (attempt === 1 && (!mock.alive || !browser.isConnected())) {
          console.error(`\n${measure.key}: failed (${/** @type {Error} */ (error)?.message ?? error}); trying once more`);
          continue;
        }
        results[measure.key] = { error: String(/** @type {Error} */ (error)?.stack ?? error) };
        console.error(`\n${measure.key}: failed: ${/** @type {Error} */ (error)?.message ?? error}`);
        process.exitCode = 1;
        break;
      }
    }
    seconds[measure.key] = (Date.now() - t) / 1000;
  }
} finally {
  await browser.close().catch(() => {});
  await site.close();
  await mock.stop();
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: `${chromium} (${CHROMIUM_PATH})`,
    loadAverage: { before: loadBefore.map((v) => Math.round(v * 100) / 100), after: os.loadavg().map((v) => Math.round(v * 100) / 100) },
  };
  const out = { date: new Date().toISOString(), runs, streamRuns, machine, seconds, totalSeconds: (Date.now() - started) / 1000, results };
  writeFileSync(resolve(ROOT, 'bench', 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}, Node ${machine.node}, Chromium ${chromium}`);
  console.log(
    `load average (1/5/15 min) before ${machine.loadAverage.before.join(' / ')}, after ${machine.loadAverage.after.join(' / ')}: figures are wall-clock times, a busy machine inflates them`,
  );
  console.log(`took ${out.totalSeconds.toFixed(0)} s; written bench/results.json`);
  clearTimeout(watchdog);
}
