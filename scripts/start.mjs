// `npm start`: opens a real VS Code with Ask LLM loaded, as a user has it (notifications on, a
// document open). Desktop `code` when there is one and a display; otherwise the web VS Code
// (code-server) on 127.0.0.1, whose URL is printed. Its user settings live in
// .cache/start and are kept between starts. With no provider configured it starts a local replay
// server and a "Demo (recorded answers)" profile; with OPENAI_API_KEY (and optionally
// OPENAI_BASE_URL, OPENAI_MODEL) it uses that provider; profiles the user added are left alone.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { root, startCodeServer, startFixtureServer, workbenchUrl } from '../test/run/codeServer.mjs';

execFileSync(process.execPath, [path.join(root, 'esbuild.js'), '--tests'], { stdio: 'inherit', cwd: root });

const state = path.join(root, '.cache/start');
const workspace = process.env.ASKLLM_WORKSPACE ?? path.join(state, 'workspace');
fs.mkdirSync(workspace, { recursive: true });
const welcome = path.join(workspace, 'welcome.md');
if (!fs.existsSync(welcome)) {
  fs.writeFileSync(welcome, '# Try Ask LLM\n\nPut the cursor on the empty line below, press Ctrl+Alt+L (or run "Ask LLM" from the command palette), and ask something.\n\n\n');
}
const welcomeAtCursor = `${welcome}:5`; // the empty line below the instructions

const desktop = spawnSync('which', ['code']).status === 0 && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.env.ASKLLM_WEB;
const stateDir = path.join(state, 'web');
const userData = desktop ? path.join(state, 'desktop-user-data') : path.join(stateDir, 'user-data');
const settingsFile = path.join(userData, 'User', 'settings.json');

/** The user settings of an earlier start: {} on the first, undefined when not plain JSON (comments). */
function savedSettings() {
  try {
    return JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  } catch (err) {
    return err.code === 'ENOENT' ? {} : undefined;
  }
}

const DEMO = 'demo';
const demoProfile = (url) => ({ id: DEMO, label: 'Demo (recorded answers)', kind: 'openai', baseUrl: `${url}/demo/v1`, model: 'demo', apiKeyEnv: 'ASKLLM_DEMO_KEY' });
const saved = savedSettings();
const profiles = Array.isArray(saved?.['askLlm.providers']) ? saved['askLlm.providers'] : [];
const own = profiles.filter((p) => p?.id !== DEMO);
const useReal = !!process.env.OPENAI_API_KEY;
// Only what this start must change: the user's own profiles and choice are never overwritten.
const settings = {};
let fixtures;
let using;
if (saved === undefined) {
  using = `your settings (${path.relative(root, settingsFile)} is not plain JSON: left as it is)`;
} else if (own.length > 0) {
  using = `your askLlm.providers: ${own.map((p) => p?.id).join(', ')}${saved['askLlm.activeProvider'] ? ` (active: ${saved['askLlm.activeProvider']})` : ''}`;
  if (own.length < profiles.length) {
    // The demo profile is still among them: point it at this start's replay server.
    fixtures = await startFixtureServer();
    settings['askLlm.providers'] = profiles.map((p) => (p?.id === DEMO ? demoProfile(fixtures.url) : p));
  }
} else if (useReal) {
  // The extension builds an "openai" profile from OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL.
  settings['askLlm.providers'] = [];
  settings['askLlm.activeProvider'] = '';
  using = `OPENAI_API_KEY${process.env.OPENAI_BASE_URL ? ` at ${process.env.OPENAI_BASE_URL}` : ''}`;
} else {
  fixtures = await startFixtureServer();
  settings['askLlm.providers'] = [demoProfile(fixtures.url)];
  settings['askLlm.activeProvider'] = DEMO;
  using = 'Demo, recorded answers from a local replay server';
}
// The chat reads well only with room: no empty secondary side bar squeezing the primary one.
if (saved && !('workbench.secondarySideBar.defaultVisibility' in saved)) settings['workbench.secondarySideBar.defaultVisibility'] = 'hidden';
const env = { ASKLLM_DEMO_KEY: 'demo' };

if (desktop) {
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  if (saved !== undefined) fs.writeFileSync(settingsFile, JSON.stringify({ ...saved, ...settings }, null, 2));
  console.log(`Opening desktop VS Code with Ask LLM (provider: ${using})…`);
  spawnSync('code', ['--user-data-dir', userData, '--extensionDevelopmentPath', root, '--new-window', '--wait', '--goto', workspace, welcomeAtCursor], { stdio: 'inherit', env: { ...process.env, ...env } });
  fixtures?.stop();
  process.exit(0);
}

const server = await startCodeServer({
  workspace, settings, env, stateDir, linkExtensions: [root], smokeTestDriver: false,
  port: Number(process.env.PORT ?? 0) || undefined,
});
const url = workbenchUrl(server, { openFile: welcomeAtCursor });
console.log(`
Ask LLM is loaded in VS Code (provider: ${using}).
Settings you change (profiles, the active provider) are kept in ${path.relative(root, state)}/ for the next start.
Open this URL in a browser:

  ${url}

Ctrl-C stops it. (After "npm run build", reload the window to pick up changes.)
`);
await new Promise(() => undefined);
