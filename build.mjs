// Builds everything that ships or runs: the embed scripts, the npm package, the mock server.
// Prints raw, gzip and brotli bytes of every file it writes.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const watch = process.argv.includes('--watch');
const browserTargets = ['chrome100', 'firefox100', 'safari15.4', 'edge100'];
const common = {
  bundle: true,
  logLevel: 'warning',
  metafile: true,
  legalComments: 'none',
  loader: { '.css': 'text' },
  jsx: 'automatic',
  jsxImportSource: 'preact',
};

rmSync('dist', { recursive: true, force: true });

/** The script site owners paste: an IIFE that defines no globals of its own. */
const embed = (minify, outfile) => ({
  ...common,
  entryPoints: ['embed/embed.ts'],
  outfile,
  format: 'iife',
  platform: 'browser',
  target: browserTargets,
  minify,
  sourcemap: minify ? 'linked' : false,
});

const builds = [
  embed(false, 'dist/embed.js'),
  embed(true, 'dist/embed.min.js'),
  {
    // npm: ESM with the chat stage split into its own chunk by the dynamic import.
    ...common,
    entryPoints: ['src/index.ts'],
    outdir: 'dist/esm',
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: browserTargets,
    packages: 'external',
  },
  {
    ...common,
    entryPoints: ['demo/server/main.ts'],
    outfile: 'dist/mock/server.js',
    format: 'esm',
    platform: 'node',
    target: 'node20',
  },
];

const results = await Promise.all(builds.map((options) => esbuild.build(options)));
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

const rows = [];
for (const result of results) {
  for (const file of Object.keys(result.metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    const bytes = readFileSync(file);
    rows.push([
      relative('.', file),
      statSync(file).size,
      gzipSync(bytes, { level: 9 }).length,
      brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    ]);
  }
}
const pad = (v, n) => String(v).padStart(n);
console.log(`${'file'.padEnd(34)}${pad('raw', 10)}${pad('gzip', 10)}${pad('brotli', 10)}`);
for (const [file, raw, gz, br] of rows) console.log(`${file.padEnd(34)}${pad(raw, 10)}${pad(gz, 10)}${pad(br, 10)}`);
if (watch) console.log('(--watch is not supported; rerun npm run build)');
