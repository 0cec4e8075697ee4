// `npm start`: opens a real VS Code with Ask LLM loaded. Desktop `code` when there is one and a
// display; otherwise the web VS Code (code-server) on 127.0.0.1, whose URL is printed.
// With no provider configured it starts a local replay server and a "Demo (recorded answers)"
// profile; with OPENAI_API_KEY (and optionally OPENAI_BASE_URL, OPENAI_MODEL) it uses that provider.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { root, startCodeServer, startFixtureServer } from '../test/run/codeServer.mjs';

execFileSync(process.execPath, [path.join(root, 'esbuild.js'), '--tests'], { stdio: 'inherit', cwd: root });

const state = path.join(root, '.cache/start');
const workspace = process.env.ASKLLM_WORKSPACE ?? path.join(state, 'workspace');
fs.mkdirSync(workspace, { recursive: true });
const welcome = path.join(workspace, 'welcome.md');
if (!fs.existsSync(welcome)) {
  fs.writeFileSync(welcome, '# Try Ask LLM\n\nPut the cursor on the empty line below, press Ctrl+Alt+L (or run "Ask LLM" from the command palette), and ask something.\n\n\n');
}

const useReal = !!process.env.OPENAI_API_KEY;
let fixtures;
const settings = {};
if (!useReal) {
  fixtures = await startFixtureServer();
  settings['askLlm.providers'] = [{ id: 'demo', label: 'Demo (recorded answers)', kind: 'openai', baseUrl: `${fixtures.url}/demo/v1`, model: 'demo', apiKeyEnv: 'ASKLLM_DEMO_KEY' }];
  settings['askLlm.activeProvider'] = 'demo';
} else {
  // The extension builds an "openai" profile from OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL.
  settings['askLlm.providers'] = [];
  settings['askLlm.activeProvider'] = '';
}
const env = { ASKLLM_DEMO_KEY: 'demo' };

const desktop = spawnSync('which', ['code']).status === 0 && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.env.ASKLLM_WEB;
if (desktop) {
  const userData = path.join(state, 'desktop-user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  console.log(`Opening desktop VS Code with Ask LLM (${useReal ? 'OPENAI_API_KEY provider' : 'demo provider'})…`);
  spawnSync('code', ['--user-data-dir', userData, '--extensionDevelopmentPath', root, '--new-window', '--wait', workspace], { stdio: 'inherit', env: { ...process.env, ...env } });
  fixtures?.stop();
  process.exit(0);
}

const server = await startCodeServer({
  workspace, settings, env, stateDir: path.join(state, 'web'), linkExtensions: [root],
  port: Number(process.env.PORT ?? 0) || undefined,
});
const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
console.log(`
Ask LLM is loaded in VS Code ${useReal ? `(provider: OPENAI_API_KEY${process.env.OPENAI_BASE_URL ? ` at ${process.env.OPENAI_BASE_URL}` : ''})` : '(provider: Demo, recorded answers from a local replay server)'}.
Open this URL in a browser:

  ${url}

Ctrl-C stops it. (After "npm run build", reload the window to pick up changes.)
`);
await new Promise(() => undefined);
