// End to end: a real browser drives the real workbench (code-server) with Ask LLM loaded, as a
// user would: the command palette, the input box, the editor, the chat view, Stop, a reload.
// Screenshots go to test-results/screenshots/. Prints "N passed, N failed".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, root, startCodeServer, startFixtureServer, workbenchUrl } from './codeServer.mjs';
import { recover, scenarios } from '../e2e/scenarios.mjs';

// ASKLLM_E2E_GREP=<regex> runs only the scenarios whose names match (and keeps the other screenshots).
const only = process.env.ASKLLM_E2E_GREP ? new RegExp(process.env.ASKLLM_E2E_GREP) : undefined;
const shots = path.join(root, 'test-results/screenshots');
if (!only) fs.rmSync(shots, { recursive: true, force: true });
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
      { id: 'reasoner', label: 'Reasoning replay', kind: 'openai', model: 'deepseek-reasoner', baseUrl: `${fixtures.url}/fx/drip:150:n40/replay/deepseek-reasoning.sse/whole/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
      { id: 'themed', label: 'Code replay', kind: 'openai', model: 'demo-answer', baseUrl: `${fixtures.url}/demo/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
      { id: 'broken', label: 'Broken replay', kind: 'openai', model: 'cut-stream', baseUrl: `${fixtures.url}/fx/cut:8/synth/60/200/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
      { id: 'quiet', label: 'Quiet replay', kind: 'openai', model: 'says-nothing', baseUrl: `${fixtures.url}/fx/quiet/replay/openai-chat-basic.sse/whole/e2e-quiet/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' },
    ],
    'askLlm.activeProvider': 'e2e',
  },
});
const { browser, page } = await launchBrowser({ width: 1400, height: 900 });
const ctx = {
  page, fixtures, server, workspace,
  url: workbenchUrl(server, { extensionDevelopmentPaths: [root] }),
  /** A screenshot of the page, or of one part of it (a locator). */
  shot: async (name, part) => {
    const file = path.join(shots, `${name}.png`);
    await (part ?? page).screenshot({ path: file });
    console.log(`  screenshot: ${path.relative(root, file)}`);
  },
};

let passed = 0;
let failed = 0;
try {
  await page.goto(ctx.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  for (const [name, run] of scenarios) {
    if (only && !only.test(name)) continue;
    const started = Date.now();
    try {
      await run(ctx);
      passed++;
      console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed++;
      console.log(`  ✘ ${name}\n    ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n    ')}`);
      await ctx.shot(`FAILED-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
      await recover(page).catch(() => undefined);
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
