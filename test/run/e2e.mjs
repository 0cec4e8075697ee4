// End to end: a real browser drives the real workbench (code-server) with Ask LLM loaded, as a
// user would: the command palette, the input box, the editor, the chat view, Stop, a reload.
// Screenshots go to test-results/screenshots/. Prints "N passed, N failed".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, root, startCodeServer, startFixtureServer, workbenchUrl } from './codeServer.mjs';
import { scenarios } from '../e2e/scenarios.mjs';

const shots = path.join(root, 'test-results/screenshots');
fs.rmSync(shots, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });

const fixtures = await startFixtureServer();
fs.mkdirSync(path.join(root, '.cache'), { recursive: true }); // a fresh clone has none yet
const workspace = fs.mkdtempSync(path.join(root, '.cache/e2e-workspace-'));
fs.writeFileSync(path.join(workspace, 'notes.md'), '# Notes\n\nAsk LLM writes below this line:\n\n');
const server = await startCodeServer({
  workspace,
  env: { ASKLLM_TEST_KEY: 'sk-e2e-env' },
  settings: {
    'askLlm.providers': [
      { id: 'e2e', label: 'E2E replay', kind: 'openai', model: 'synth-fast', baseUrl: `${fixtures.url}/synth/300/150/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
      { id: 'slow', label: 'Slow replay', kind: 'openai', model: 'synth-slow', baseUrl: `${fixtures.url}/synth/3000/25/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
      { id: 'cut', label: 'Cut replay', kind: 'openai', model: 'cut-at-length', baseUrl: `${fixtures.url}/cont/30/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
      { id: 'hostile', label: 'Hostile replay', kind: 'openai', model: 'hostile', baseUrl: `${fixtures.url}/hostile/500/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
    ],
    'askLlm.activeProvider': 'e2e',
  },
});
const { browser, page } = await launchBrowser({ width: 1400, height: 900 });
const ctx = {
  page, fixtures, server, workspace,
  url: workbenchUrl(server, { extensionDevelopmentPaths: [root] }),
  shot: async (name) => {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`  screenshot: ${path.relative(root, file)}`);
  },
};

let passed = 0;
let failed = 0;
try {
  await page.goto(ctx.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  for (const [name, run] of scenarios) {
    const started = Date.now();
    try {
      await run(ctx);
      passed++;
      console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      console.log(`  ✘ ${name}\n    ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n    ')}`);
      await ctx.shot(`FAILED-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  }
} finally {
  await browser.close();
  server.stop();
  fixtures.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
