// One build for everything: the extension host bundle, the chat webview bundle, and (with --tests)
// the test and benchmark bundles. `--production` minifies and drops source maps; `--watch` rebuilds.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
// `--out=DIR` puts the extension's own bundles there instead of dist/ (scripts/package.mjs builds the
// VSIX in a staging folder, so packaging never replaces the development build others may be running).
const out = (process.argv.find((a) => a.startsWith('--out=')) ?? '--out=dist').slice('--out='.length);

/** Every *.ts file below `dir` whose name matches `pattern`. */
function entries(dir, pattern) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => pattern.test(f));
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

/**
 * undici (a profile's own proxy or TLS trust, src/providers/network.ts) goes in a bundle of its own,
 * loaded on the first request that needs it: inside extension.js its 500 KB would be parsed at every
 * activation, by users who never set a proxy too.
 */
const undiciApart = {
  name: 'undici-apart',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './vendor/undici.js', external: true }));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: path.join(out, 'extension.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [undiciApart],
    mainFields: ['module', 'main'],
    // Activation time as a user pays it includes loading the bundle: stamp its first line.
    banner: { js: 'globalThis.__askLlmLoadStart = performance.now();' },
  },
  {
    ...common,
    entryPoints: [require.resolve('undici')],
    outfile: path.join(out, 'vendor/undici.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: path.join(out, 'webview.js'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (tests) {
  builds.push({
    ...common,
    minify: false,
    entryPoints: [
      ...entries('test/unit', /\.test\.ts$/),
      ...entries('test/integration', /\.ts$/),
      ...entries('test/support', /\.ts$/),
      ...entries('bench', /^bench\/[^/]+\.ts$/),
    ],
    outdir: 'dist',
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // mocha is loaded from node_modules at run time; vscode exists only inside the extension host.
    external: ['vscode', 'mocha', 'playwright-core'],
  });
  // The chat view's rendering on a bare page, for the unit tests that drive a real browser.
  builds.push({
    ...common,
    minify: false,
    entryPoints: ['test/browser/renderHarness.ts'],
    outfile: 'dist/test/browser/renderHarness.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

async function main() {
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    console.log('[esbuild] watching');
    return;
  }
  // Finish every bundle, then fail if any did: one broken bundle must not hide the others' errors.
  const results = await Promise.allSettled(builds.map((b) => esbuild.build(b)));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
