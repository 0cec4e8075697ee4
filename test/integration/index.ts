// The mocha entry the extension host calls (extensionTestsPath). Prints "N passed, N failed".
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  if (process.env.ASKLLM_TEST_GREP) mocha.grep(process.env.ASKLLM_TEST_GREP);
  if (process.env.ASKLLM_TEST_GREP && process.env.ASKLLM_TEST_GREP_INVERT) mocha.invert(); // every test but those
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`integration: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
