// Runs test/integration (compiled to dist/test/integration) INSIDE a real VS Code extension host.
// Offline: code-server + headless Chromium (test/run/codeServer.mjs). With VSCODE_EXECUTABLE set
// to a desktop VS Code, the same suite runs through @vscode/test-electron instead.
// With --vsix (or ASKLLM_TEST_VSIX=1; `npm run test:vsix`) the extension under test is the package:
// scripts/package.mjs builds the .vsix, code-server installs it into a fresh extensions folder as a user
// would, and the suite (still this tree's dist/test) runs against that installed copy. The copy is opened
// as the development extension only so that VS Code runs it in ExtensionMode.Test (an installed one runs in
// Production mode, where the test-only commands the suite drives are not registered); its files are the
// installed ones, which test/integration/package.test.ts checks.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, root, startCodeServer, startFixtureServer, workbenchUrl } from './codeServer.mjs';

const testsPath = path.join(root, 'dist/test/integration/index');
const lmExtension = path.join(root, 'test/fixtures/lm-extension');
const TIMEOUT_MS = 15 * 60_000;
const vsixMode = process.argv.includes('--vsix') || process.env.ASKLLM_TEST_VSIX === '1';
if (vsixMode && process.env.VSCODE_EXECUTABLE) {
  console.error('[integration] --vsix runs on code-server only: unset VSCODE_EXECUTABLE');
  process.exit(1);
}

// The folder VS Code loads Ask LLM from: this tree, or where code-server installs the package.
let extensionUnderTest = root;
let runDir;
let vsix;
if (vsixMode) {
  const started = Date.now();
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-vsix-'));
  const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  vsix = { file: path.join(runDir, `${name}-${version}.vsix`), id: `${publisher}.${name}` };
  execFileSync(process.execPath, [path.join(root, 'scripts/package.mjs'), '--out', vsix.file], { stdio: 'inherit' });
  extensionUnderTest = path.join(runDir, 'extensions', `${publisher}.${name}-${version}`);
  console.log(`[integration] packaged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const fixtures = await startFixtureServer();
const env = {
  ASKLLM_TEST_SERVER: fixtures.url,
  ASKLLM_TEST_KEY: 'sk-test-key',
  ASKLLM_TEST_ERNIE_SECRET: 'ernie-secret',
  ASKLLM_TEST_GREP: process.env.ASKLLM_TEST_GREP ?? '',
  ASKLLM_TEST_GREP_INVERT: process.env.ASKLLM_TEST_GREP_INVERT ?? '',
  ASKLLM_TEST_EXTENSION_PATH: extensionUnderTest,
  ASKLLM_TEST_VSIX: vsixMode ? '1' : '',
};

let code = 1;
if (process.env.VSCODE_EXECUTABLE) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
      extensionDevelopmentPath: [root, lmExtension],
      extensionTestsPath: testsPath,
      extensionTestsEnv: env,
      launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
    });
    code = 0;
  } catch (err) {
    console.error(err);
  }
} else {
  const server = await startCodeServer({ env, settings: { 'chat.disableAIFeatures': false }, log: !!process.env.ASKLLM_SERVER_LOG, installExtensions: [lmExtension], stateDir: runDir, vsix });
  if (vsix) {
    if (server.installed !== extensionUnderTest) throw new Error(`the package was installed in ${server.installed}, not ${extensionUnderTest}`);
    console.log(`[integration] installed ${path.basename(vsix.file)} into ${server.installed}`);
  }
  console.log(`[integration] VS Code (code-server) ready in ${server.readyMs} ms`);
  const { browser, page } = await launchBrowser();
  const started = Date.now();
  const exit = new Promise((resolve) => {
    void page.exposeFunction('codeAutomationExit', (c) => resolve(c));
    void page.exposeFunction('codeAutomationLog', (_type, args) => {
      // Mocha's reporter logs printf-style ('%s', …), as the host's console would format it.
      console.log(format(...(Array.isArray(args) ? args : [args])));
    });
  });
  await page.goto(workbenchUrl(server, { extensionDevelopmentPaths: [extensionUnderTest], extensionTestsPath: testsPath }));
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS));
  const result = await Promise.race([exit, timer]);
  if (result === 'timeout') {
    console.error(`[integration] the suite did not finish within ${TIMEOUT_MS / 60000} minutes`);
    console.error(server.output.join('').slice(-4000));
    code = 1;
  } else {
    code = Number(result);
  }
  console.log(`[integration] suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s with exit code ${code}`);
  await browser.close();
  server.stop();
}
fixtures.stop();
if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
process.exit(code);
