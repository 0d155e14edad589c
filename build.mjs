// Builds everything that ships or runs: the embed scripts (launcher + lazily loaded chat), the
// npm package, the mock server. Prints raw, gzip and brotli bytes of every file it writes.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minify as terser } from 'terser';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const browserTargets = ['chrome100', 'firefox100', 'safari15.4', 'edge100'];

/** The chat's parts, one row each (src/chat/part-table.ts), read through esbuild: it is TypeScript. */
const partTable = await (async () => {
  const { outputFiles } = await esbuild.build({ entryPoints: ['src/chat/part-table.ts'], bundle: true, write: false, format: 'esm' });
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].contents).toString('base64')}`);
})();
const PARTS = Object.entries(partTable.PART_TABLE);

/** CSS is imported as text and adopted into shadow roots; minify it on the way in. */
const cssAsMinifiedText = {
  name: 'css-as-minified-text',
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await esbuild.transform(readFileSync(args.path, 'utf8'), { loader: 'css', minify: true });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: 'js' };
    });
  },
};

/**
 * A chat part (src/chat/part-table.ts) renders with the chat file's hooks and JSX runtime: one copy of
 * each per page, or hook state and vnode ids would split (a part never imports Preact itself).
 * The chat file shares exactly these names through the handoff (embed/chat.ts); a part that needs
 * another one fails to build here.
 */
const SHARED_CHAT_MODULES = {
  'preact/hooks': ['useId', 'useMemo', 'useState'],
  'preact/jsx-runtime': ['Fragment', 'jsx', 'jsxs'],
};
const modulesFromChat = {
  name: 'modules-from-chat',
  setup(build) {
    build.onResolve({ filter: /^preact\/(hooks|jsx-runtime)$/ }, (args) => ({ path: args.path, namespace: 'chat-shared' }));
    build.onLoad({ filter: /.*/, namespace: 'chat-shared' }, (args) => ({
      contents: `const m = globalThis[Symbol.for('dify-chatbot.chat-handoff')].shared[${JSON.stringify(args.path)}];\nexport const { ${SHARED_CHAT_MODULES[args.path].join(', ')} } = m;`,
      loader: 'js',
    }));
  },
};

/**
 * We use marked's lexer only (docs/ARCHITECTURE.md §3 markdown/), but its single-file build ends with a
 * default Marked instance and assignments that keep the parser and renderers alive (~3 KB gzip).
 * For the browser bundles, cut the file before that tail and export the Lexer alone. Our lexer's
 * options are fixed (src/markdown/lexer.ts: GFM with breaks, silent, no extensions, no hooks), so
 * the pedantic grammar, the grammar rules GFM replaces, the static shortcuts, and the branches for
 * other options go too (~0.9 KB gzip). The anchors belong to the exact version pinned in package.json; if one
 * moves, the build stops here.
 */
const MARKED_UNUSED = [
  // [from, to, what replaces it]: the pedantic block rules, the non-GFM setext heading and paragraph rules,
  ['nt={...fe,', '},rt=/^', 'nt={'],
  [',Le=g($e)', ',We=g($e)'],
  [',Je=Ce(', ',Ye=Ce('],
  ['lheading:Le,', 'list:Xe,'],
  ['paragraph:Je,', 'table:q,'],
  // the pedantic and the non-GFM inline rules,
  [',it=/^(', ',L=/['],
  [',ct=g(Ee', ',ht=g(Ee'],
  [',dt=/^(?:', ',ze="'],
  [',kt=g(ze', ',ft=g(ze'],
  [',mt="', ',bt=g('],
  [',Rt="', ',Ot=g('],
  ['emStrongLDelim:ct,emStrongRDelimAst:kt,', 'emStrongRDelimUnd:'],
  ['text:it,', 'url:q}'],
  ['Dt={...me,', ',pe={...me', 'Dt={}'],
  // and the static shortcuts.
  ['static lex(e,t)', 'lex(e){e=e.replace'],
];
/**
 * Regexes of marked's shared table that only its renderer and parser read (checked against the
 * built chat file): as one object literal they would stay, used or not (~0.1 KB gzip).
 */
const RENDERER_ONLY_REGEXES = [
  'outputLinkReplace',
  'escapeTest',
  'escapeReplace',
  'escapeTestNoEncode',
  'escapeReplaceNoEncode',
  'percentDecode',
  'notSpaceStart',
  'endingNewline',
];
const markedLexerOnly = {
  name: 'marked-lexer-only',
  setup(build) {
    build.onLoad({ filter: /marked[\\/]lib[\\/]marked\.esm\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const anchor = 'var v=new ne;';
      const lexer = /export\{[^}]*\b(\w+) as Lexer\b/.exec(source)?.[1];
      const at = source.indexOf(anchor);
      const changed = (what) =>
        new Error(`marked-lexer-only: ${args.path} changed shape (${what} not found); update the plugin for this marked version.`);
      if (at < 0 || !lexer) throw changed('anchor or Lexer export');
      let code = source.slice(0, at);
      for (const [from, to, keep = ''] of MARKED_UNUSED) {
        const start = code.indexOf(from);
        const end = code.indexOf(to, start + 1);
        if (start < 0 || end < 0) throw changed(from);
        code = code.slice(0, start) + keep + code.slice(end);
      }
      code = code
        .replaceAll('this.options.pedantic', '!1')
        .replaceAll('this.options.extensions', '(void 0)')
        .replaceAll('this.options.hooks', '(void 0)')
        .replaceAll('this.options.silent', '!0');
      for (const key of RENDERER_ONLY_REGEXES) {
        const from = code.indexOf(`,${key}:/`);
        const next = from < 0 ? null : /\/[dgimsuvy]*,(?=[A-Za-z_]\w*:)/.exec(code.slice(from + key.length + 3));
        if (!next) throw changed(key);
        code = code.slice(0, from) + code.slice(from + key.length + 3 + next.index + next[0].length - 1);
      }
      return { contents: `${code}export { ${lexer} as Lexer };`, loader: 'js' };
    });
  },
};

const browser = {
  bundle: true,
  logLevel: 'warning',
  metafile: true,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  platform: 'browser',
  target: browserTargets,
  plugins: [cssAsMinifiedText],
  // The part table's locale tags and launcher strings: the launcher and the chat read them
  // without importing the table (src/i18n/locale.ts, src/i18n/launcher-strings.ts).
  define: { __VERSION__: JSON.stringify(version), ...partTable.defines() },
};

rmSync('dist', { recursive: true, force: true });

const chatFile = (result) => basename(Object.keys(result.metafile.outputs).find((f) => f.endsWith('.js')));

/**
 * A stage loaded by embed.min.js as classic scripts, readable and minified. Their names carry a
 * content hash so they can be cached for ever. `define(i)` gets 0 for the readable build, 1 for
 * the minified one.
 */
const classicStage = (entryPoints, plugins, define = () => browser.define) =>
  Promise.all(
    [false, true].map((minify, i) =>
      esbuild.build({
        ...browser,
        entryPoints,
        outdir: 'dist',
        entryNames: minify ? '[name]-[hash].min' : '[name]-[hash]',
        format: 'iife',
        minify,
        sourcemap: minify ? 'linked' : false,
        plugins,
        define: define(i),
      }),
    ),
  );

/**
 * Each part's classic script: its module (src/parts/<name>.ts) handed to the chat that loads it
 * (embed/part.ts). The entries are made here, one per row of the part table.
 */
const partEntries = {
  name: 'part-entries',
  setup(build) {
    build.onResolve({ filter: /^chat-part:/ }, (args) => ({ path: args.path.slice('chat-part:'.length), namespace: 'chat-part' }));
    build.onLoad({ filter: /.*/, namespace: 'chat-part' }, (args) => ({
      contents: `import part from './src/parts/${args.path}.ts';\nimport { registerPart } from './embed/part.ts';\nregisterPart(part, ${JSON.stringify(args.path)});`,
      resolveDir: process.cwd(),
      loader: 'ts',
    }));
  },
};
const partFile = (result, name) =>
  basename(Object.keys(result.metafile.outputs).find((f) => basename(f).startsWith(`${name}-`) && f.endsWith('.js')));
const partBuilds = await classicStage(Object.fromEntries(PARTS.map(([name, row]) => [row.file, `chat-part:${name}`])), [
  cssAsMinifiedText,
  modulesFromChat,
  partEntries,
]);
// A part that pulled in the chat's big dependencies would download them twice.
for (const input of Object.keys(partBuilds[1].metafile.inputs)) {
  if (/node_modules[\\/](preact|marked|@preact[\\/]signals|eventsource-parser)[\\/]/.test(input)) {
    throw new Error(`A chat part bundles ${input}, which the chat file already has; import a smaller module.`);
  }
}

/** The chat stage, which knows its parts' file names. */
const chatBuilds = await classicStage({ chat: 'embed/chat.ts' }, [cssAsMinifiedText, markedLexerOnly], (i) => ({
  ...browser.define,
  __CHAT_PARTS__: JSON.stringify(Object.fromEntries(PARTS.map(([name, row]) => [name, partFile(partBuilds[i], row.file)]))),
}));

/** The script site owners paste: an IIFE that defines no globals of its own. */
const embedBuilds = await Promise.all(
  [false, true].map((minify, i) =>
    esbuild.build({
      ...browser,
      entryPoints: ['embed/embed.ts'],
      outfile: minify ? 'dist/embed.min.js' : 'dist/embed.js',
      format: 'iife',
      minify,
      sourcemap: minify ? 'linked' : false,
      define: { ...browser.define, __CHAT_FILE__: JSON.stringify(chatFile(chatBuilds[i])) },
    }),
  ),
);

const otherBuilds = await Promise.all([
  // npm: ESM with the chat stage split into its own chunk by the dynamic import.
  esbuild.build({
    ...browser,
    entryPoints: ['src/index.ts'],
    outdir: 'dist/esm',
    format: 'esm',
    splitting: true,
    packages: 'external',
  }),
  esbuild.build({
    bundle: true,
    logLevel: 'warning',
    metafile: true,
    entryPoints: ['demo/server/main.ts'],
    outfile: 'dist/mock/server.js',
    format: 'esm',
    platform: 'node',
    target: 'node20',
  }),
  // dify-chatbot-embed/relay: the server-side relay (relay/), ESM for Node 20+, Deno, Bun and edge
  // runtimes; its one optional dependency (@redis/client) stays an import.
  esbuild.build({
    bundle: true,
    logLevel: 'warning',
    metafile: true,
    entryPoints: ['relay/index.ts'],
    outfile: 'dist/relay/index.js',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
  }),
]);
/**
 * esbuild bundles and minifies in one fast pass; terser's compressor, run over that output,
 * takes another ~3% off every gzip figure (the size budgets are in gzip bytes). The source map
 * is chained, so it still points at our TypeScript. Only the `.min.js` files that visitors
 * download go through it; their names keep esbuild's content hash (terser is pinned exactly).
 */
async function squeeze(file, preamble = undefined) {
  const mapFile = `${file}.map`;
  const code = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const result = await terser(code, {
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false, preamble },
    sourceMap: { content: readFileSync(mapFile, 'utf8'), url: basename(mapFile) },
  });
  writeFileSync(file, result.code);
  writeFileSync(mapFile, /** @type {string} */ (result.map));
}
// Chromium's explicit compile hint: V8 compiles every function of embed.min.js while it parses
// the script (off the main thread when streaming) instead of lazily on first call. Nearly all of
// it runs at once to draw the bubble, and the bench's main-thread CPU for the bubble went down by
// 5-8 ms with it. Other engines read a comment.
await squeeze('dist/embed.min.js', '//# allFunctionsCalledOnLoad');
for (const result of [chatBuilds[1], partBuilds[1]]) {
  for (const file of Object.keys(result.metafile.outputs)) if (file.endsWith('.min.js')) await squeeze(file);
}

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.relay.json'], { stdio: 'inherit' });

const rows = [];
for (const result of [...embedBuilds, ...chatBuilds, ...partBuilds, ...otherBuilds]) {
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
