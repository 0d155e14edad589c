import { afterAll, beforeAll, describe, it } from 'vitest';
import { type MockServer, startMockServer } from '../../demo/server/server.ts';
import { HostSite } from '../e2e/support/host-page.ts';
import { type Driver, ENGINES } from './engines.mjs';
import { JOURNEYS } from './smoke.ts';

/**
 * Every journey of smoke.ts in every engine installed here, one engine after another, one
 * browser per engine. An engine that is not installed shows as skipped under its name, with what
 * to install (report.ts also prints it before and after the run, and fails the run in CI).
 */

let site: HostSite;
let mock: MockServer;

beforeAll(async () => {
  site = await HostSite.start();
  mock = await startMockServer({ port: 0, dataFile: null, tokenDelayMs: 4, quiet: true });
});

afterAll(async () => {
  await site?.close();
  await mock?.close();
});

for (const engine of ENGINES) {
  const missing = engine.missing();
  describe.skipIf(missing !== null)(missing ? `${engine.label} (skipped: ${missing})` : engine.label, () => {
    let driver: Driver;
    beforeAll(async () => {
      driver = await engine.launch();
      console.log(`${engine.label}: ${driver.version}`);
    });
    afterAll(async () => {
      await driver?.close();
    });
    for (const journey of JOURNEYS) it(journey.name, () => journey.run({ driver, site, mock }));
  });
}
