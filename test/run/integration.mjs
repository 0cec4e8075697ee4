// Runs test/integration (compiled to dist/test/integration) INSIDE a real VS Code extension host.
// Offline: code-server + headless Chromium (test/run/codeServer.mjs). With VSCODE_EXECUTABLE set
// to a desktop VS Code, the same suite runs through @vscode/test-electron instead.
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, root, startCodeServer, startFixtureServer, workbenchUrl } from './codeServer.mjs';

const testsPath = path.join(root, 'dist/test/integration/index');
const lmExtension = path.join(root, 'test/fixtures/lm-extension');
const TIMEOUT_MS = 15 * 60_000;

const fixtures = await startFixtureServer();
const env = {
  ASKLLM_TEST_SERVER: fixtures.url,
  ASKLLM_TEST_KEY: 'sk-test-key',
  ASKLLM_TEST_ERNIE_SECRET: 'ernie-secret',
  ASKLLM_TEST_GREP: process.env.ASKLLM_TEST_GREP ?? '',
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
  const server = await startCodeServer({ env, settings: { 'chat.disableAIFeatures': false }, log: !!process.env.ASKLLM_SERVER_LOG, installExtensions: [lmExtension] });
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
  await page.goto(workbenchUrl(server, { extensionDevelopmentPaths: [root], extensionTestsPath: testsPath }));
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
process.exit(code);
