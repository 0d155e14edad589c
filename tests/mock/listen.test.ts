import { describe, expect, it } from 'vitest';
import { exposureWarning, optionsFromEnv } from '../../demo/server/env.ts';
import { start } from './helpers.ts';

/** The mock stays on this machine unless HOST says otherwise (demo/README.md "Running it safely"). */
describe('where the mock listens', () => {
  it('npm start binds 127.0.0.1 unless HOST is set', () => {
    expect(optionsFromEnv({}, '/repo')).toMatchObject({ host: '127.0.0.1', port: 8787 });
    expect(optionsFromEnv({ HOST: '' }, '/repo').host).toBe('127.0.0.1');
    expect(optionsFromEnv({ HOST: '0.0.0.0', PORT: '9000' }, '/repo')).toMatchObject({ host: '0.0.0.0', port: 9000 });
  });

  it('warns when HOST opens it to other machines', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(exposureWarning(host), host).toBeNull();
    expect(exposureWarning('0.0.0.0')).toMatch(/^\[mock\] HOST=0\.0\.0\.0: other machines on your network can reach/);
    expect(exposureWarning('192.168.1.20')).not.toBeNull();
  });

  it('startMockServer without a host listens on 127.0.0.1', async () => {
    const server = await start();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.close();
    }
  });
});
