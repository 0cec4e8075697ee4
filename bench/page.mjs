// The chat page alone: a 50,000-token answer streamed into the chat's webview bundle in headless
// Chromium (no workbench, no extension host), 33 tokens a frame (2,000 tok/s), for two builds interleaved.
// Prints main-thread time by kind (CDP Performance metrics), frame times and long tasks. Far less
// noisy than the workbench runs, for a before/after of a rendering change.
//
//   node bench/page.mjs A B [reps]   (A, B: checkouts with dist/webview.js built, e.g. a worktree
//                                     from bench/relay.mjs in .cache/bench-before-<rev>, and .)
//   TOKENS=4000 PER=8 node bench/page.mjs …   another length, and tokens a frame (8: about 500 tok/s)
//   TEXT=code PER=8 node bench/page.mjs …      a code-heavy answer
//   PROFILE=DIR node bench/page.mjs …           a CPU profile of each run (read it with bench/profile.mjs)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { synthText, tokenize } = require(path.join(root, 'dist/test/support/synth.js'));
const [a, b, reps = '3'] = process.argv.slice(2);
const ORIGIN = 'http://chat.invalid';
const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/chat.css"></head><body><div id="app"></div>
<script>window.posted=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.posted.push(m),getState:()=>undefined,setState:()=>undefined});</script>
<script src="/webview.js"></script></body></html>`;
// TEXT=code: a code-heavy answer instead, six fenced blocks of 80 lines with a sentence between.
const codeBlock = '```ts\n' + Array.from({ length: 80 }, (_, i) => `  const value${i} = compute(${i}, 'text with words', [1, 2, 3]); // line ${i}`).join('\n') + '\n```\n\nSome words after the block.\n\n';
const pieces = tokenize(process.env.TEXT === 'code' ? codeBlock.repeat(6) : synthText(Number(process.env.TOKENS ?? 50000)));
const PER = Number(process.env.PER ?? 33);
const batches = [];
for (let i = 0; i < pieces.length; i += PER) batches.push(pieces.slice(i, i + PER).join(''));

let profiles = 0;
async function run(dir) {
  const browser = await chromium.launch({ executablePath: process.env.ASKLLM_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === `${ORIGIN}/`) return route.fulfill({ contentType: 'text/html', body: PAGE });
      if (url === `${ORIGIN}/chat.css`) return route.fulfill({ contentType: 'text/css', body: fs.readFileSync(path.join(dir, 'media/chat.css'), 'utf8') });
      if (url === `${ORIGIN}/webview.js`) return route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(path.join(dir, 'dist/webview.js'), 'utf8') });
      return route.abort();
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => window.posted.some((m) => m.type === 'ready'));
    await page.evaluate(() => {
      window.longs = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longs.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
      window.postMessage({ type: 'snapshot', messages: [], provider: { id: 'p', label: 'p', model: 'm', kind: 'openai', isDemo: false }, streaming: true }, '*');
      window.postMessage({ type: 'messageAdded', message: { id: 'a', role: 'assistant', text: '', status: 'streaming' } }, '*');
    });
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const m0 = await metrics();
    if (process.env.PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const extra = {};
    const frames = await page.evaluate(async (bs) => {
      const out = [];
      for (const text of bs) {
        const t = performance.now();
        window.postMessage({ type: 'delta', id: 'a', text }, '*');
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        out.push(performance.now() - t);
      }
      const t = performance.now();
      window.postMessage({ type: 'messageDone', id: 'a', status: 'done', finishReason: 'stop' }, '*');
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const done = performance.now() - t;
      const worst = out.indexOf(Math.max(...out));
      return { frames: out.sort((x, y) => x - y), done, worst };
    }, batches).then((r) => { Object.assign(extra, { done: r.done, worstAt: r.worst }); return r.frames; });
    const m1 = await metrics();
    if (process.env.PROFILE) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.mkdirSync(process.env.PROFILE, { recursive: true });
      fs.writeFileSync(path.join(process.env.PROFILE, `${path.basename(dir)}-${++profiles}.cpuprofile`), JSON.stringify(profile));
    }
    const ms = (k) => Math.round((m1[k] - m0[k]) * 1000);
    const pick = (p) => frames[Math.min(frames.length - 1, Math.floor(frames.length * p))];
    return { layout: ms('LayoutDuration'), style: ms('RecalcStyleDuration'), script: ms('ScriptDuration'), task: ms('TaskDuration'), frameP50: pick(0.5), frameP95: pick(0.95), frameMax: frames.at(-1), ...extra, longTasks: await page.evaluate(() => window.longs) };
  } finally {
    await browser.close();
  }
}

const out = { A: [], B: [] };
for (let i = 0; i < Number(reps); i++) {
  for (const [side, dir] of [['A', a], ['B', b]]) {
    const r = await run(path.resolve(dir));
    out[side].push(r);
    console.log(`[page] ${side} ${i + 1}: layout ${r.layout} ms, style ${r.style}, script ${r.script}, all tasks ${r.task}; frame p50 ${r.frameP50.toFixed(1)} p95 ${r.frameP95.toFixed(1)} max ${r.frameMax.toFixed(0)} ms (frame ${r.worstAt} of ${batches.length}); the end ${r.done.toFixed(0)} ms; long tasks [${r.longTasks.join(', ')}]`);
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
for (const k of ['layout', 'style', 'script', 'task', 'frameP95', 'frameMax']) {
  const ratios = out.B.map((r, i) => r[k] / out.A[i][k]);
  console.log(`[page] ${k.padEnd(8)} B/A median ${median(ratios).toFixed(2)} [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`);
}
