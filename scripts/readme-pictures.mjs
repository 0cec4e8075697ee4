// The README's pictures, cut from the end-to-end run's screenshots (`npm run test:e2e` writes them to
// test-results/screenshots/): `node scripts/readme-pictures.mjs` crops them with the headless Chromium
// the tests use and, where pngquant is installed (apt-get install pngquant), shrinks them to a palette.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shots = path.join(root, 'test-results/screenshots');
const outDir = path.join(root, 'docs/images');

// Screenshots are 1400 × 900 (test/run/codeServer.mjs launchBrowser); the right-hand 300 px are the
// empty secondary side bar.
const pictures = [
  { from: '3-chat-streaming.png', to: 'chat.png', clip: { x: 0, y: 0, width: 1105, height: 900 } },
  { from: '1-editor-streaming.png', to: 'document.png', clip: { x: 0, y: 0, width: 1105, height: 330 } },
];

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
fs.mkdirSync(outDir, { recursive: true });
const hasPngquant = (() => {
  try { execFileSync('pngquant', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
})();
for (const p of pictures) {
  const src = path.join(shots, p.from);
  if (!fs.existsSync(src)) throw new Error(`${src} is missing: run npm run test:e2e first`);
  const data = fs.readFileSync(src).toString('base64');
  await page.setContent(`<body style="margin:0"><img style="display:block" src="data:image/png;base64,${data}"></body>`);
  await page.locator('img').evaluate((img) => img.decode());
  const out = path.join(outDir, p.to);
  await page.screenshot({ path: out, clip: p.clip });
  if (hasPngquant) execFileSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality', '70-95', '--output', out, out]);
  console.log(`${path.relative(root, out)}: ${(fs.statSync(out).size / 1024).toFixed(1)} KB (from ${p.from})`);
}
await browser.close();
