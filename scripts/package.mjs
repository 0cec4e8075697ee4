// `npm run package`: builds the VSIX in a staging folder (.cache/vsix-stage-*, removed afterwards: the
// production bundles plus what .vscodeignore lets through), so the development build in dist/ is never replaced by a minified one
// while tests or `npm start` use it. Writes dist/ask-llm-VERSION.vsix (or `--out FILE`), prints what is
// inside with sizes, and fails if a file the installed extension loads is missing or if something that
// has no business in a package (source maps, tests, node_modules, sources) got in.
// Other arguments go to `vsce package` (e.g. `--baseImagesUrl https://…/` to publish the README's pictures).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = path.resolve(outAt >= 0 ? args.splice(outAt, 2)[1] : path.join(root, 'dist', `${pkg.name}-${pkg.version}.vsix`));
const vsceArgs = [...args];

// Never copied into the stage: too big or never packaged. .vscodeignore decides about the rest.
const SKIP = new Set(['.git', 'node_modules', '.cache', 'dist', 'out', 'test-results']);
fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
// One folder per run: a test run and the bench may package at the same time.
const stage = fs.mkdtempSync(path.join(root, '.cache/vsix-stage-'));
process.on('exit', () => fs.rmSync(stage, { recursive: true, force: true }));
for (const entry of fs.readdirSync(root)) {
  if (SKIP.has(entry) || entry.endsWith('.vsix')) continue;
  fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
}
execFileSync(process.execPath, ['esbuild.js', '--production', `--out=${path.join(stage, 'dist')}`], { cwd: root, stdio: 'inherit' });

// vsce turns the README's relative links into absolute ones (VS Code's extension page shows images only
// from https URLs) using package.json's repository, or --baseContentUrl / --baseImagesUrl. Without either
// it refuses to package: keep the links relative then (the pictures are in the package, next to the README).
const rewrites = pkg.repository || vsceArgs.some((a) => /^--base(Content|Images)Url/.test(a));
if (!pkg.repository) vsceArgs.push('--allow-missing-repository');
if (!rewrites) {
  vsceArgs.push('--no-rewrite-relative-links');
  console.log('[package] no "repository" in package.json and no --baseImagesUrl: README links and pictures stay relative'
    + ' (VS Code\'s extension page shows pictures only from https URLs; pass --baseImagesUrl https://HOST/PATH/ to publish them)');
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.rmSync(out, { force: true });
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', ...vsceArgs, '-o', out], { cwd: stage, stdio: 'inherit' });

const files = readZip(out);
// vsce stores README.md as readme.md, CHANGELOG.md as changelog.md and LICENSE as LICENSE.txt.
const inPackage = new Set(files.map((f) => f.name.toLowerCase().replace(/^extension\/license\.txt$/, 'extension/license')));
const rel = (p) => `extension/${path.posix.normalize(p)}`.toLowerCase();

// What the installed extension reads: the manifest's files, the bundles the code loads by path
// (src/host/chatView.ts: dist/webview.js, media/chat.css; src/providers/network.ts: dist/vendor/undici.js;
// src/host/participant.ts: media/icon.svg), every local file package.json points at (icons, walkthrough
// media), the translations that exist, and the README's relative pictures when they stay relative.
const needed = new Set([pkg.main, 'dist/webview.js', 'dist/vendor/undici.js', 'media/chat.css', 'media/icon.svg', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']);
(function walk(v) {
  if (typeof v === 'string') {
    if (/^(\.\/)?[\w-]+(\/[\w.-]+)*\.(svg|png|jpe?g|gif|md|json|css|js)$/.test(v) && fs.existsSync(path.join(root, v))) needed.add(v);
  } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
})(pkg.contributes);
if (pkg.icon) needed.add(pkg.icon);
for (const f of fs.readdirSync(root)) if (/^package\.nls(\.[\w-]+)?\.json$/.test(f)) needed.add(f);
if (pkg.l10n) {
  const dir = path.join(root, pkg.l10n);
  if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) needed.add(path.posix.join(pkg.l10n, f));
  else needed.add(`${path.posix.normalize(pkg.l10n)}/ (package.json "l10n")`);
}
if (!rewrites) {
  for (const m of fs.readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
    if (!/^\w+:/.test(m[1])) needed.add(m[1]);
  }
}
const missing = [...needed].filter((f) => !inPackage.has(rel(f)));
const unwanted = files.map((f) => f.name).filter((n) => /\.map$|^extension\/(dist\/(test|bench)\/|node_modules\/|src\/|test\/|bench\/|\.cache\/)|\.ts$/.test(n));

// vsce has printed the tree of files with their sizes; the whole, as the user downloads it:
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const unpacked = files.reduce((s, f) => s + f.size, 0);
console.log(`[package] ${out.startsWith(root + path.sep) ? path.relative(root, out) : out}: ${files.length} files, ${kb(fs.statSync(out).size)} (unpacked ${kb(unpacked)})`);
if (missing.length) console.error(`[package] MISSING from the package (the installed extension needs them): ${missing.join(', ')}`);
if (unwanted.length) console.error(`[package] in the package but not needed there: ${unwanted.join(', ')}`);
if (missing.length || unwanted.length) process.exit(1);
console.log('[package] every file the installed extension loads is inside; no source map, test, source or node_modules');

/** The entries of a zip file (name, uncompressed size), from its central directory. */
function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    entries.push({ name: buf.toString('utf8', at + 46, at + 46 + nameLen), size: buf.readUInt32LE(at + 24) });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries.filter((e) => !e.name.endsWith('/'));
}
