// Which copy of Ask LLM the suite runs against: this tree, or (`npm run test:vsix`) the .vsix as VS Code
// installed it. The runner (test/run/integration.mjs) names the folder it loaded in ASKLLM_TEST_EXTENSION_PATH.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('the extension under test', () => {
  it('is the copy the runner loaded: under test:vsix, the installed package', async () => {
    const ext = vscode.extensions.getExtension('askllm.ask-llm');
    assert.ok(ext, 'askllm.ask-llm is not loaded');
    console.log(`[integration] askllm.ask-llm ${String(ext.packageJSON.version)} loaded from ${ext.extensionPath}`);
    const expected = process.env.ASKLLM_TEST_EXTENSION_PATH;
    assert.ok(expected, 'ASKLLM_TEST_EXTENSION_PATH is not set: run through test/run/integration.mjs');
    assert.strictEqual(fs.realpathSync(ext.extensionPath), fs.realpathSync(expected));
    await ext.activate();
    assert.ok(ext.isActive);
    if (process.env.ASKLLM_TEST_VSIX !== '1') return;
    const has = (p: string) => fs.existsSync(path.join(ext.extensionPath, p));
    assert.ok(has('.vsixmanifest'), 'the folder was not installed from a .vsix');
    for (const p of ['src', 'test', 'node_modules', 'dist/test', 'dist/extension.js.map']) assert.ok(!has(p), `${p} is in the installed package`);
    // The production bundle: minified, no source map.
    const bundle = fs.readFileSync(path.join(ext.extensionPath, 'dist/extension.js'), 'utf8');
    assert.ok(!bundle.includes('sourceMappingURL'), 'dist/extension.js is a development build');
  });
});
