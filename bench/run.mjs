// The benchmark suite (not a test): drives the real VS Code (code-server) and a real browser,
// streams synthetic Markdown answers with markers «mN» from a local server at chosen rates and
// lengths, and measures Ask LLM against the floor probe and the naive baseline side by side.
// Writes bench/results/<time>.json, bench/results/latest.json and bench/results/latest.svg, and
// prints a table. Run: npm run bench   (ASKLLM_BENCH_QUICK=1 for a short smoke run)
// ASKLLM_BENCH_ONLY=relay measures only relay latency (ours and the floor, chat and document) and
// writes ASKLLM_BENCH_OUT; ASKLLM_BENCH_EXTENSION=DIR benchmarks the (built) extension in DIR, an
// older checkout for a before/after (bench/relay.mjs drives both, interleaved).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, root, startCodeServer, startFixtureServer } from '../test/run/codeServer.mjs';
import { renderSvg } from './chart.mjs';

const QUICK = !!process.env.ASKLLM_BENCH_QUICK;
const RELAY_ONLY = process.env.ASKLLM_BENCH_ONLY === 'relay';
// ASKLLM_BENCH_ONLY=hop measures only Enter → request at the server, ours and the floor's;
// ASKLLM_BENCH_ONLY=selections only eight selections rewritten at once against a single one.
const HOP_ONLY = process.env.ASKLLM_BENCH_ONLY === 'hop';
const SELECTIONS_ONLY = process.env.ASKLLM_BENCH_ONLY === 'selections';
// ASKLLM_BENCH_ONLY=reload: a conversation of 200 question–answer pairs (500 tokens each), made
// through the chat, opened after a window reload against an empty chat (interleaved), and scrolled.
const RELOAD_ONLY = process.env.ASKLLM_BENCH_ONLY === 'reload';
// ASKLLM_BENCH_ONLY=heap: the page's JS heap (after a forced GC) before and after a 50,000-token
// answer, ours and the floor's, interleaved.
const HEAP_ONLY = process.env.ASKLLM_BENCH_ONLY === 'heap';
// ASKLLM_BENCH_ONLY=long: 10,000- and 50,000-token answers at 2,000 tokens/s, ours and the floor's,
// interleaved (ASKLLM_BENCH_REPS times): long tasks, the longest, and busy time per 1,000 tokens.
const LONG_ONLY = process.env.ASKLLM_BENCH_ONLY === 'long';
// ASKLLM_BENCH_ONLY=continue: a fresh ask into a document, cut at the token limit, then Continue;
// from each command to its first character in the document (ASKLLM_BENCH_REPS pairs).
const CONTINUE_ONLY = process.env.ASKLLM_BENCH_ONLY === 'continue';
const ONLY = RELAY_ONLY || HOP_ONLY || SELECTIONS_ONLY || RELOAD_ONLY || HEAP_ONLY || LONG_ONLY || CONTINUE_ONLY;
const EXTENSION = path.resolve(process.env.ASKLLM_BENCH_EXTENSION ?? root);
const VARIANTS = RELAY_ONLY ? ['ours', 'floor'] : ['ours', 'floor', 'naive'];
// ASKLLM_BENCH_RATES=2000 and ASKLLM_BENCH_SURFACES=webview|editor narrow a relay run (for a bisect).
const RATES = process.env.ASKLLM_BENCH_RATES ? process.env.ASKLLM_BENCH_RATES.split(',').map(Number) : [50, 500, 2000];
const SURFACES = (process.env.ASKLLM_BENCH_SURFACES ?? 'webview,editor').split(',');
const LATENCY_TOKENS = QUICK ? { 50: 150, 500: 500, 2000: 1000 } : { 50: 500, 500: 2000, 2000: 4000 };
const RENDER_LENGTHS = QUICK ? [2000, 5000] : [10000, 50000];
const NAIVE_MAX_TOKENS = { webview: QUICK ? 2000 : 10000, editor: QUICK ? 500 : 2000 };
const MARK_EVERY = 10;
const T = Number(process.env.ASKLLM_BENCH_TIMEOUT_MS ?? 180_000);
const step = (m) => process.env.ASKLLM_BENCH_DEBUG && console.log(`[bench] ${new Date().toISOString().slice(11, 23)} ${m}`);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

console.log('[bench] building (production bundles) …');
execFileSync(process.execPath, [path.join(root, 'esbuild.js'), '--tests', '--production'], { stdio: 'inherit', cwd: root });
if (EXTENSION !== root) execFileSync(process.execPath, [path.join(EXTENSION, 'esbuild.js'), '--production'], { stdio: 'inherit', cwd: EXTENSION });
execFileSync(process.execPath, [path.join(root, 'bench/probe/build.mjs')], { stdio: 'inherit', cwd: root });
fs.mkdirSync(path.join(root, '.cache'), { recursive: true }); // a fresh clone has none yet

const fixtures = await startFixtureServer();
const workspace = fs.mkdtempSync(path.join(root, '.cache/bench-workspace-'));
const baseSettings = { 'workbench.editor.enablePreview': false, 'files.hotExit': 'off', 'editor.minimap.enabled': false };
const server = await startCodeServer({ workspace, linkExtensions: [EXTENSION, path.join(root, 'bench/probe')], settings: baseSettings, env: { ASKLLM_BENCH_SERVER: fixtures.url } });
const { browser, page, context } = await launchBrowser({ width: 1400, height: 900 });
const results = { when: new Date().toISOString(), quick: QUICK, machine: { cpus: (await import('node:os')).cpus().length }, runs: [], footprint: {}, ttft: {} };

let nonce = 0;
/** Applies settings inside VS Code (through the probe) and waits until they are in effect. */
async function writeSettings(settings) {
  const n = ++nonce;
  await fetch(`${fixtures.url}/_job`, { method: 'POST', body: JSON.stringify({ nonce: n, settings }) });
  await palette('Ask LLM Bench: apply job settings');
  await waitReport((r) => r && r.applied === n, `settings ${n} applied`);
}

async function palette(title) {
  step(`palette: ${title}`);
  // The palette lists commands as extensions register them: retry while ours are not there yet.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    try {
      await input.waitFor({ timeout: T });
      await input.fill(`>${title}`, { timeout: 10_000 });
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor({ timeout: attempt < 4 ? 5000 : T });
      const at = now();
      await input.press('Enter');
      step(`palette: ran ${title}`);
      return at;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt >= 4) {
        await page.screenshot({ path: path.join(root, '.cache/bench-failure.png') });
        throw err;
      }
    }
  }
}

/** The webview frame whose document satisfies `test` (a string of JS evaluated in the frame). */
async function findFrame(test) {
  step(`find frame: ${test}`);
  for (let i = 0; i < 600; i++) {
    for (const f of page.frames()) {
      try {
        if (await f.evaluate(test)) return f;
      } catch { /* detached or cross-origin not ready */ }
    }
    await sleep(50);
  }
  throw new Error(`no frame for ${test}`);
}

/** Records, in the frame's own clock, when each marker first appears in the DOM, and long tasks. */
async function instrument(frame) {
  await frame.evaluate(() => {
    const w = window;
    w.__bench = { marks: {}, long: [] };
    const scan = (text, t) => {
      for (const m of text.matchAll(/«m(\d+)»/g)) if (!(m[1] in w.__bench.marks)) w.__bench.marks[m[1]] = t;
    };
    new MutationObserver((muts) => {
      const t = performance.timeOrigin + performance.now();
      for (const mu of muts) {
        if (mu.type === 'characterData') scan(mu.target.textContent ?? '', t);
        for (const n of mu.addedNodes) scan(n.textContent ?? '', t);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__bench.long.push(e.duration); }).observe({ type: 'longtask' });
  });
}

async function frameMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const stats = (xs) => ({ n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99) });

const pendingReports = [];
/** Waits for a report matching `pred`, leaving the others for their own waiters. */
async function waitReport(pred, what) {
  const end = Date.now() + T;
  while (Date.now() < end) {
    pendingReports.push(...(await (await fetch(`${fixtures.url}/_report`)).json()));
    const i = pendingReports.findIndex(pred);
    if (i >= 0) return pendingReports.splice(i, 1)[0];
    await sleep(50);
  }
  throw new Error(`no report: ${what}`);
}
async function probeReport() {
  await palette('Ask LLM Bench: report');
  return waitReport((r) => r && 'marks' in r, 'probe report');
}
async function serverMarks() {
  return (await fetch(`${fixtures.url}/_marks`)).json();
}

/** ASKLLM_BENCH_PROFILE: CPU profiles of the workbench's main thread and of the extension host (ours and the probe run in it). */
async function startProfiles() {
  await pageCdp.send('Profiler.enable');
  await pageCdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await pageCdp.send('Profiler.start');
  await palette('Ask LLM Bench: profile the extension host');
  await waitReport((r) => r && r.profiled === true, 'host profile started');
}

/** Writes the workbench's profile as `name`.cpuprofile and has the probe write the extension host's. */
async function stopProfiles(name) {
  const { profile } = await pageCdp.send('Profiler.stop');
  fs.mkdirSync(process.env.ASKLLM_BENCH_PROFILE, { recursive: true });
  fs.writeFileSync(path.join(process.env.ASKLLM_BENCH_PROFILE, `${name}.cpuprofile`), JSON.stringify(profile));
  await palette('Ask LLM Bench: profile the extension host');
  await waitReport((r) => r && r.profiled === false, 'host profile written');
}

function latencies(seen, written) {
  const out = [];
  for (const [m, t] of Object.entries(written)) if (seen[m] !== undefined) out.push(seen[m] - t);
  return out;
}

// ---- setup ------------------------------------------------------------------------------------
await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
await page.locator('.monaco-workbench').waitFor({ timeout: T });
await page.locator('.statusbar-item', { hasText: 'Ask LLM' }).waitFor({ timeout: T });
let scenarioId = 0;
async function useProvider(tokens, rate, route = 'bsynth') {
  const label = `bench-${++scenarioId}`;
  const url = `${fixtures.url}/${route}/${tokens}/${rate}/${MARK_EVERY}/v1`;
  await writeSettings({
    'askLlm.providers': [{ id: label, label, kind: 'openai', model: `synth-${tokens}-${rate}`, baseUrl: url }],
    'askLlm.activeProvider': label,
    'askLlmBench.job': { url, reportUrl: `${fixtures.url}/_report` },
  });
  return { label, url };
}

await palette('Ask LLM: Open Chat');
let chat = await findFrame('!!document.querySelector("#prompt")');
await instrument(chat);
// In code-server, webviews are same-origin iframes: they share the workbench renderer's main
// thread, so busy time is measured for that whole thread (the one the user waits on).
const pageCdp = await context.newCDPSession(page);
await pageCdp.send('Performance.enable');
const chatCdp = pageCdp;

// The probes live in the bottom panel, so they and the chat (side bar) are alive at the same time.
const probeFrames = {};
await palette('Ask LLM Bench: open probe views');
await probeFrame('floor');
await probeFrame('naive');

async function probeFrame(variant) {
  if (!probeFrames[variant]) {
    const f = await findFrame(`document.body?.dataset.variant === '${variant}'`);
    await instrument(f);
    probeFrames[variant] = { frame: f, cdp: pageCdp };
  }
  return probeFrames[variant];
}

// ---- one run --------------------------------------------------------------------------------
async function runWebview(variant, tokens, rate) {
  const { label, url } = await useProvider(tokens, rate);
  const last = String(tokens - 1);
  let frame, cdp;
  if (variant === 'ours') {
    await chat.locator('#provider', { hasText: label }).waitFor({ timeout: T });
    await chat.evaluate(() => { window.__bench.marks = {}; window.__bench.long = []; });
    frame = chat; cdp = chatCdp;
  } else {
    await writeSettings({ 'askLlmBench.job': { variant, surface: 'webview', url, reportUrl: `${fixtures.url}/_report` } });
    // Every run starts with empty records: marker numbers repeat from run to run.
    await (await probeFrame(variant)).frame.evaluate(() => { window.__bench.marks = {}; window.__bench.long = []; });
  }
  const cpuBefore = await probeReport();
  const before = variant === 'ours' ? await frameMetrics(cdp) : null;
  // ASKLLM_BENCH_PROFILE=DIR: CPU profiles of the workbench and the extension host during each run, to read with bench/profile.mjs.
  const profiling = !!process.env.ASKLLM_BENCH_PROFILE;
  const tracing = process.env.ASKLLM_BENCH_TRACE;
  if (tracing) await browser.startTracing(page, { path: path.join(tracing, `webview-${variant}-${tokens}-${rate}.json`), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8'] });
  if (profiling) await startProfiles();
  // ASKLLM_BENCH_WS=1: the workbench's WebSocket frames during the run (the extension host's traffic).
  const ws = { in: 0, inBytes: 0, out: 0, outBytes: 0 };
  const onIn = (e) => { ws.in++; ws.inBytes += e.response.payloadData.length; };
  const onOut = (e) => { ws.out++; ws.outBytes += e.response.payloadData.length; };
  if (process.env.ASKLLM_BENCH_WS) {
    await pageCdp.send('Network.enable');
    pageCdp.on('Network.webSocketFrameReceived', onIn);
    pageCdp.on('Network.webSocketFrameSent', onOut);
  }
  const t0 = now();
  if (variant === 'ours') {
    await chat.locator('#prompt').fill(`bench ${label}`);
    await chat.locator('#prompt').press('Enter');
  } else {
    await palette('Ask LLM Bench: run a probe');
  }
  if (variant !== 'ours') {
    ({ frame, cdp } = await probeFrame(variant));
  }
  const m0 = variant === 'ours' ? null : await frameMetrics(cdp);
  // Done when the last marker is in the DOM.
  const end = Date.now() + T;
  while (Date.now() < end && !(await frame.evaluate((l) => l in window.__bench.marks, last))) await sleep(50);
  const doneAt = now();
  const after = await frameMetrics(cdp);
  if (tracing) await browser.stopTracing();
  if (profiling) await stopProfiles(`webview-${variant}-${tokens}-${rate}`);
  if (process.env.ASKLLM_BENCH_WS) {
    pageCdp.off('Network.webSocketFrameReceived', onIn);
    pageCdp.off('Network.webSocketFrameSent', onOut);
    console.log(`[bench] websocket during ${variant}: ${ws.in} frames in (${(ws.inBytes / 1024).toFixed(0)} KB as sent by CDP), ${ws.out} out (${(ws.outBytes / 1024).toFixed(0)} KB)`);
  }
  const seen = await frame.evaluate(() => window.__bench);
  const written = await serverMarks();
  const cpuAfter = await probeReport();
  const req = (await (await fetch(`${fixtures.url}/_log`)).json()).filter((r) => r.url.startsWith('/bsynth/')).pop();
  const lat = latencies(seen.marks, written);
  const b = before ?? m0;
  const run = {
    surface: 'webview', variant, tokens, rate,
    latency: stats(lat),
    keepUpMs: seen.marks[last] !== undefined ? seen.marks[last] - written[last] : null,
    busyMsPer1k: ((after.TaskDuration - b.TaskDuration) * 1000) / (tokens / 1000),
    layoutMsPer1k: ((after.LayoutDuration - b.LayoutDuration) * 1000) / (tokens / 1000),
    styleMsPer1k: ((after.RecalcStyleDuration - b.RecalcStyleDuration) * 1000) / (tokens / 1000),
    scriptMsPer1k: ((after.ScriptDuration - b.ScriptDuration) * 1000) / (tokens / 1000),
    longTasks: seen.long.filter((d) => d > 50).length,
    maxTaskMs: seen.long.length ? Math.max(...seen.long) : 0,
    hostCpuMsPer1k: ((cpuAfter.cpuUserMs + cpuAfter.cpuSystemMs) - (cpuBefore.cpuUserMs + cpuBefore.cpuSystemMs)) / (tokens / 1000),
    webviewHeapMB: after.JSHeapUsedSize / 1e6,
    hostHeapMB: cpuAfter.memory.heapUsed / 1e6,
    commandToRequestMs: variant === 'ours' ? req.receivedAt - t0 : null,
    firstByteToVisibleMs: seen.marks['0'] !== undefined ? seen.marks['0'] - written['0'] : null,
    wallMs: doneAt - t0,
    // Per marker: [when the server wrote it, since the first; its latency] (where a stall falls).
    series: Object.keys(written).filter((m) => seen.marks[m] !== undefined).map((m) => [Math.round(written[m] - written['0']), Math.round(seen.marks[m] - written[m])]),
  };
  if (variant !== 'ours') await waitReport((r) => r && r.done, 'probe run done');
  results.runs.push(run);
  console.log(`[bench] webview ${variant.padEnd(5)} ${String(tokens).padStart(6)} tok @ ${String(rate).padStart(4)}/s  p50 ${run.latency.p50?.toFixed(1)} p95 ${run.latency.p95?.toFixed(1)} ms  keep-up ${run.keepUpMs?.toFixed(0)} ms  busy ${run.busyMsPer1k.toFixed(1)} ms/1k (script ${run.scriptMsPer1k.toFixed(0)}, style ${run.styleMsPer1k.toFixed(0)}, layout ${run.layoutMsPer1k.toFixed(0)})  long ${run.longTasks}`);
  return run;
}

async function runEditor(variant, tokens, rate) {
  const { url } = await useProvider(tokens, rate);
  await writeSettings({ 'askLlmBench.job': { variant, surface: 'editor', url, reportUrl: `${fixtures.url}/_report` } });
  const cpuBefore = await probeReport();
  // Marks an earlier run pushed are not this run's.
  for (let i = pendingReports.length - 1; i >= 0; i--) if ('streamMarks' in pendingReports[i]) pendingReports.splice(i, 1);
  const last = String(tokens - 1);
  const tracing = process.env.ASKLLM_BENCH_TRACE;
  if (tracing) await browser.startTracing(page, { path: path.join(tracing, `editor-${variant}-${tokens}-${rate}.json`), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8'] });
  // ASKLLM_BENCH_WS=1: the extension host's RPC calls during the run, by method (from the workbench's WebSocket frames).
  const rpc = new Map();
  const onFrame = (dir) => (e) => {
    const data = e.response.opcode === 2 ? Buffer.from(e.response.payloadData, 'base64').toString('latin1') : e.response.payloadData;
    for (const m of data.matchAll(/\$[a-zA-Z]{4,}/g)) rpc.set(`${dir} ${m[0]}`, (rpc.get(`${dir} ${m[0]}`) ?? 0) + 1);
  };
  const onIn = onFrame('in'), onOut = onFrame('out');
  if (process.env.ASKLLM_BENCH_WS) {
    await pageCdp.send('Network.enable');
    pageCdp.on('Network.webSocketFrameReceived', onIn);
    pageCdp.on('Network.webSocketFrameSent', onOut);
  }
  // ASKLLM_BENCH_PROFILE=DIR: the same for document runs.
  const profiling = !!process.env.ASKLLM_BENCH_PROFILE;
  if (profiling) await startProfiles();
  if (variant === 'ours') {
    // With no editor open, Ask LLM streams into a new untitled document (as the probes do).
    await palette('View: Close All Editors');
    await palette('Ask LLM: Ask LLM');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: T });
    await input.fill('bench');
    await input.press('Enter');
  } else {
    await palette('Ask LLM Bench: run a probe');
  }
  // The probe pushes the marks it sees (no palette command while the answer streams).
  const end = Date.now() + T;
  const marks = {};
  while (Date.now() < end && !(last in marks)) Object.assign(marks, (await waitReport((r) => r && 'streamMarks' in r, 'document marks')).streamMarks);
  if (tracing) await browser.stopTracing();
  if (process.env.ASKLLM_BENCH_WS) {
    pageCdp.off('Network.webSocketFrameReceived', onIn);
    pageCdp.off('Network.webSocketFrameSent', onOut);
    console.log(`[bench] RPC during ${variant}: ${[...rpc].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  if (profiling) await stopProfiles(`editor-${variant}-${tokens}-${rate}`);
  const rep = await probeReport();
  Object.assign(marks, rep.marks);
  const edits = rep.docEdits;
  const cpu = (rep.cpuUserMs + rep.cpuSystemMs) - (cpuBefore.cpuUserMs + cpuBefore.cpuSystemMs);
  const written = await serverMarks();
  const lat = latencies(marks, written);
  const run = {
    surface: 'editor', variant, tokens, rate,
    latency: stats(lat),
    keepUpMs: marks[last] !== undefined ? marks[last] - written[last] : null,
    // The first marker rides the first token: from its write on the server to the document.
    firstEditMs: marks['0'] !== undefined ? marks['0'] - written['0'] : null,
    edits,
    hostCpuMsPer1k: cpu / (tokens / 1000),
    series: Object.keys(written).filter((m) => marks[m] !== undefined).map((m) => [Math.round(written[m] - written['0']), Math.round(marks[m] - written[m])]),
  };
  if (variant !== 'ours') await waitReport((r) => r && r.done, 'probe run done').catch(() => undefined);
  await palette('View: Revert and Close Editor').catch(() => undefined);
  results.runs.push(run);
  console.log(`[bench] editor  ${variant.padEnd(5)} ${String(tokens).padStart(6)} tok @ ${String(rate).padStart(4)}/s  p50 ${run.latency.p50?.toFixed(1)} p95 ${run.latency.p95?.toFixed(1)} ms  keep-up ${run.keepUpMs?.toFixed(0)} ms  edits ${edits}`);
  return run;
}

/**
 * One short unrecorded run into a document for each variant before the measured ones. The first
 * Markdown document of a window activates VS Code's Markdown extension (its language server starts
 * in the extension host for a second or two); whichever variant ran first paid it, inside its relay.
 */
async function warmEditor() {
  const count = results.runs.length;
  for (const variant of VARIANTS) await runEditor(variant, 200, 2000);
  results.runs.splice(count);
}

// ---- the suite ------------------------------------------------------------------------------
/**
 * Enter → request at the server, interleaved: Enter in the chat, and Enter in the floor probe's
 * box, whose extension host only reads the job's URL and fetches (the bare hop: webview message →
 * extension host → fetch). A short answer each, so the runs do not overlap.
 */
async function hopRuns(reps = 10) {
  const { label } = await useProvider(50, 2000);
  await chat.locator('#provider', { hasText: label }).waitFor({ timeout: T });
  const floorFrame = (await probeFrame('floor')).frame;
  const out = { ours: [], floor: [] };
  for (let i = 0; i < reps; i++) {
    for (const variant of ['ours', 'floor']) {
      const seen = (await (await fetch(`${fixtures.url}/_log`)).json()).length;
      const box = variant === 'ours' ? chat.locator('#prompt') : floorFrame.locator('#ask');
      await box.fill(`hop ${variant} ${i}`);
      const t0 = now();
      await box.press('Enter');
      let req;
      for (const end = Date.now() + T; !req && Date.now() < end; await sleep(20)) {
        req = (await (await fetch(`${fixtures.url}/_log`)).json()).slice(seen).find((r) => r.url.startsWith('/bsynth/'));
      }
      out[variant].push(req.receivedAt - t0);
      await sleep(400); // the 50-token answer ends
    }
  }
  results.hop = { ours: stats(out.ours), floor: stats(out.floor), reps };
  console.log(`[bench] Enter → request: ours p50 ${results.hop.ours.p50.toFixed(1)} p95 ${results.hop.ours.p95.toFixed(1)} ms, floor p50 ${results.hop.floor.p50.toFixed(1)} p95 ${results.hop.floor.p95.toFixed(1)} ms (${reps} interleaved)`);
}

/**
 * Every selection answered at once (`target: "selection"`): 8 selections of a new document at 500
 * tokens/s each, against 1, interleaved. Per range: relay latency (server write → the document);
 * in all: edits per second (about one a frame is the target), and whether one undo restores the
 * document and one redo brings all of it back.
 */
async function selectionRuns(reps = 3, tokens = 1000, rate = 500) {
  const out = { 1: [], 8: [] };
  for (let i = 0; i < reps; i++) {
    for (const n of [1, 8]) {
      const { url } = await useProvider(tokens, rate, 'msynth');
      await writeSettings({ 'askLlmBench.job': { selections: n, url, reportUrl: `${fixtures.url}/_report` } });
      await probeReport(); // clears the probe's marks
      await palette('Ask LLM Bench: rewrite selections');
      const done = await waitReport((r) => r && r.selections === n, `${n} selections rewritten`);
      const { marks } = await probeReport();
      const written = await (await fetch(`${fixtures.url}/_marks?all`)).json();
      const byStream = {};
      for (const [key, t] of Object.entries(written)) {
        if (marks[key] === undefined) continue;
        (byStream[key.split('x')[0]] ??= []).push(marks[key] - t);
      }
      const streams = Object.values(byStream).filter((l) => l.length > 10);
      const run = {
        selections: n, ...done,
        latency: stats(streams.flat()),
        worstRangeP95: Math.max(...streams.map((l) => pct(l, 95))),
        ranges: streams.length,
        editsPerSecond: done.edits / (done.durationMs / 1000),
      };
      out[n].push(run);
      console.log(`[bench] ${n} selection(s) @ ${rate}/s  p50 ${run.latency.p50?.toFixed(1)} p95 ${run.latency.p95?.toFixed(1)} ms  worst range p95 ${run.worstRangeP95.toFixed(1)} ms  ${run.ranges} ranges  ${done.edits} edits (${run.editsPerSecond.toFixed(0)}/s)  undo ${done.undoRestores ? 'restores' : 'DOES NOT restore'}  redo ${done.redoRestores ? 'restores' : 'DOES NOT restore'}`);
      await palette('View: Revert and Close Editor').catch(() => undefined);
    }
  }
  results.selections = out;
}

/**
 * Continue against a fresh ask (`/cont`: a `length`-cut answer, then its continuation), `reps`
 * pairs, each a fresh ask into a new document and askLlm.continue on it: from the command to its
 * first character in the document, and from the command to the request at the server.
 */
async function continueRuns(reps = Number(process.env.ASKLLM_BENCH_REPS ?? 10), rate = 500) {
  const label = `bench-${++scenarioId}`;
  const url = `${fixtures.url}/cont/${rate}/v1`;
  await writeSettings({
    'askLlm.providers': [{ id: label, label, kind: 'openai', model: 'cont', baseUrl: url }],
    'askLlm.activeProvider': label,
    'askLlmBench.job': { url, reportUrl: `${fixtures.url}/_report` },
  });
  const out = { fresh: [], continue: [], freshHop: [], continueHop: [] };
  for (let i = 0; i < reps; i++) {
    const seen = (await (await fetch(`${fixtures.url}/_log`)).json()).length;
    await palette('Ask LLM Bench: ask, then continue');
    const r = await waitReport((x) => x && x.continueRun, 'ask, then continue');
    const reqs = (await (await fetch(`${fixtures.url}/_log`)).json()).slice(seen).filter((q) => q.url.startsWith('/cont/'));
    if (r.freshFinish !== 'length' || r.continuedFinish !== 'stop' || r.freshMs === undefined || r.continueMs === undefined || reqs.length !== 2) {
      throw new Error(`continue run ${i}: ${JSON.stringify({ ...r, requests: reqs.length })}`);
    }
    out.fresh.push(r.freshMs);
    out.continue.push(r.continueMs);
    out.freshHop.push(reqs[0].receivedAt - r.freshAt);
    out.continueHop.push(reqs[1].receivedAt - r.continueAt);
    await palette('View: Revert and Close Editor').catch(() => undefined);
  }
  const ratios = out.continue.map((c, i) => c / out.fresh[i]);
  results.continue = { rate, reps, samples: out, fresh: stats(out.fresh), continue: stats(out.continue), freshHop: stats(out.freshHop), continueHop: stats(out.continueHop), ratio: { median: pct(ratios, 50), min: Math.min(...ratios), max: Math.max(...ratios) } };
  const c = results.continue;
  console.log(`[bench] command → first character: fresh ask p50 ${c.fresh.p50.toFixed(1)} p95 ${c.fresh.p95.toFixed(1)} ms, continue p50 ${c.continue.p50.toFixed(1)} p95 ${c.continue.p95.toFixed(1)} ms; continue/fresh ${c.ratio.median.toFixed(2)}× [${c.ratio.min.toFixed(2)}–${c.ratio.max.toFixed(2)}] (${reps} pairs)`);
  console.log(`[bench] command → request at the server: fresh p50 ${c.freshHop.p50.toFixed(1)} ms, continue p50 ${c.continueHop.p50.toFixed(1)} ms`);
}

/**
 * A long conversation after a window reload. Seeds `pairs` question–answer pairs of `tokens` each
 * through the chat (a fast synthetic provider), then, `reps` times interleaved, reloads the window
 * with an empty chat open and with the long one open. For each: from the reload command to the
 * conversation in the view (wall), and from the view's own document start to it (the view's part).
 * Then scrolls the long one from top to bottom, one step a frame, and counts frames.
 */
async function reloadRuns(reps = Number(process.env.ASKLLM_BENCH_REPS ?? 3), pairs = 200, tokens = 500) {
  const label = `bench-${++scenarioId}`;
  await writeSettings({
    'askLlm.providers': [{ id: label, label, kind: 'openai', model: `synth-${tokens}`, baseUrl: `${fixtures.url}/synth/${tokens}/100000/v1` }],
    'askLlm.activeProvider': label,
  });
  await chat.locator('#provider', { hasText: label }).waitFor({ timeout: T });
  const newChat = async () => {
    await palette('Ask LLM: New Chat');
    await chat.waitForFunction(() => !document.querySelector('#messages > article'), undefined, { timeout: T });
  };
  await newChat();
  const seeded = now();
  for (let i = 0; i < pairs; i++) {
    await chat.locator('#prompt').fill(`pair ${i}`);
    await chat.locator('#prompt').press('Enter');
    await chat.waitForFunction((n) => {
      const a = document.querySelectorAll('#messages > article.assistant');
      return a.length === n && a[n - 1].dataset.status !== 'streaming';
    }, i + 1, { timeout: T, polling: 20 }).catch(async (err) => {
      const state = await chat.evaluate(() => [...document.querySelectorAll('#messages > article')].slice(-4).map((a) => `${a.className} ${a.dataset.status} ${a.textContent.slice(0, 80)}`));
      await page.screenshot({ path: path.join(root, '.cache/bench-failure.png') });
      throw new Error(`seeding pair ${i}: ${err.message}\n${state.join('\n')}`);
    });
  }
  console.log(`[bench] seeded ${pairs} pairs of ${tokens} tokens through the chat in ${((now() - seeded) / 1000).toFixed(1)} s`);
  const bigTitle = 'pair 0';
  const out = { empty: [], long: [], scroll: [] };
  const ready = {
    empty: `!!document.querySelector('#empty p') && !document.querySelector('#messages > article')`,
    long: `document.querySelectorAll('#messages > article').length === ${2 * pairs} && document.querySelector('#messages > article:last-child')?.dataset.status === 'done'`,
  };
  const reload = async (kind) => {
    // From the Enter that runs the command (the palette may take a few tries to open).
    const [, t0] = await Promise.all([page.waitForEvent('load', { timeout: T }), palette('Developer: Reload Window')]);
    const frame = await findFrame(ready[kind]);
    // The view marks when its first snapshot is on screen (askLlm.snapshotShown, a frame after it is rendered).
    const wallMs = now() - t0;
    const view = await frame.evaluate(async () => {
      for (let i = 0; i < 100 && !performance.getEntriesByName('askLlm.snapshotShown').length; i++) await new Promise((r) => setTimeout(r, 20));
      return {
        shownMs: performance.getEntriesByName('askLlm.snapshotShown')[0]?.startTime ?? NaN,
        renderMs: performance.getEntriesByName('askLlm.snapshotRender')[0]?.duration ?? NaN,
        arrivedMs: performance.getEntriesByName('askLlm.snapshotRender')[0]?.startTime ?? NaN,
        origin: performance.timeOrigin,
      };
    });
    const viewMs = view.shownMs;
    out[kind].push({ wallMs, viewMs, arrivedMs: view.arrivedMs, renderMs: view.renderMs, viewStartMs: view.origin - t0 });
    console.log(`[bench] reload with the ${kind.padEnd(5)} chat open: ${wallMs.toFixed(0)} ms from the command (the view's document started at ${(view.origin - t0).toFixed(0)}); on screen ${viewMs.toFixed(0)} ms from the view's start; the snapshot arrived at ${view.arrivedMs.toFixed(0)} ms and took ${view.renderMs.toFixed(0)} ms to render`);
    return frame;
  };
  for (let i = 0; i < reps; i++) {
    await newChat();
    await reload('empty');
    // The long conversation back on show, from the history list.
    chat = await findFrame('!!document.querySelector("#prompt")');
    await chat.locator('#history-toggle').click();
    await chat.locator('#history .chat-open', { hasText: bigTitle }).first().click();
    await chat.waitForFunction((n) => document.querySelectorAll('#messages > article').length === n, 2 * pairs, { timeout: T });
    chat = await reload('long');
    const frames = await chat.evaluate(async () => {
      const s = document.getElementById('scroller');
      // As the user would: a wheel up (which stops following), then down, a step a frame.
      s.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, bubbles: true }));
      s.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const times = [];
      await new Promise((resolve) => {
        const step = (t) => {
          times.push(t);
          if (s.scrollTop + s.clientHeight >= s.scrollHeight - 1) return resolve();
          s.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, bubbles: true }));
          s.scrollTop += 100; // about a wheel notch a frame
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      return times;
    });
    const gaps = frames.slice(1).map((t, j) => t - frames[j]);
    // The slowest second: the fewest frames in any 1-second window of the scroll.
    let worstFps = Infinity;
    for (let a = 0, b = 0; a < frames.length; a++) {
      while (b < frames.length && frames[b] - frames[a] <= 1000) b++;
      if (frames[frames.length - 1] - frames[a] >= 1000) worstFps = Math.min(worstFps, b - a - 1);
    }
    const run = { frames: frames.length, fps: (frames.length - 1) / ((frames[frames.length - 1] - frames[0]) / 1000), worstSecondFps: Number.isFinite(worstFps) ? worstFps : null, gap: stats(gaps), over33: gaps.filter((g) => g > 33.4).length };
    out.scroll.push(run);
    console.log(`[bench] scroll the long chat: ${run.frames} frames, ${run.fps.toFixed(1)} fps (slowest second ${run.worstSecondFps ?? '–'} fps), frame gap p50 ${run.gap.p50.toFixed(1)} p95 ${run.gap.p95.toFixed(1)} ms, ${run.over33} gaps over 33 ms`);
  }
  const med = (xs) => pct(xs, 50);
  const ratio = out.long.map((l, i) => l.viewMs / out.empty[i].viewMs);
  results.reload = { pairs, tokens, reps, ...out };
  console.log(`[bench] long/empty, from the view's start: median ${med(ratio).toFixed(2)}× [${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)}]; from the command: ${med(out.long.map((l, i) => l.wallMs / out.empty[i].wallMs)).toFixed(2)}×`);
}

/**
 * Memory an answer costs the page: the JS heap after a forced GC, before and after one answer of
 * `tokens`, ours (in a new chat) and the floor's (reset), interleaved. Webviews share the
 * workbench's renderer and heap in code-server, so the whole page is measured, and the growth
 * is what the answer holds.
 */
async function heapRuns(reps = 3, tokens = 50000, rate = 5000) {
  await pageCdp.send('HeapProfiler.enable');
  const heapMB = async () => {
    for (let i = 0; i < 2; i++) {
      await pageCdp.send('HeapProfiler.collectGarbage');
      await sleep(300);
    }
    return (await frameMetrics(pageCdp)).JSHeapUsedSize / 1e6;
  };
  const out = { ours: [], floor: [] };
  for (let i = 0; i < reps; i++) {
    for (const variant of ['ours', 'floor']) {
      if (variant === 'ours') await palette('Ask LLM: New Chat');
      const before = await heapMB();
      await runWebview(variant, tokens, rate);
      const after = await heapMB();
      out[variant].push({ beforeMB: before, afterMB: after, growthMB: after - before });
      console.log(`[bench] heap ${variant.padEnd(5)} ${tokens} tokens: ${before.toFixed(1)} → ${after.toFixed(1)} MB (+${(after - before).toFixed(1)})`);
    }
  }
  const ratio = (k) => out.ours.map((o, i) => o[k] / out.floor[i][k]);
  const show = (xs) => `${pct(xs, 50).toFixed(2)}× [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
  results.heap = { tokens, rate, reps, ...out };
  console.log(`[bench] heap after the answer, ours/floor: ${show(ratio('afterMB'))}; growth ours/floor: ${show(ratio('growthMB'))}`);
}

try {
  if (HEAP_ONLY) await heapRuns();
  for (let i = 0; LONG_ONLY && i < Number(process.env.ASKLLM_BENCH_REPS ?? 3); i++) {
    for (const tokens of RENDER_LENGTHS) for (const variant of ['ours', 'floor']) await runWebview(variant, tokens, 2000);
  }
  if (RELOAD_ONLY) await reloadRuns();
  if (HOP_ONLY) await hopRuns();
  if (SELECTIONS_ONLY) await selectionRuns();
  if (CONTINUE_ONLY) await continueRuns();
  for (const rate of SURFACES.includes('webview') && (RELAY_ONLY || !ONLY) ? RATES : []) {
    for (const variant of VARIANTS) {
      await runWebview(variant, Math.min(LATENCY_TOKENS[rate], variant === 'naive' ? NAIVE_MAX_TOKENS.webview : Infinity), rate);
    }
  }
  if (RELAY_ONLY && SURFACES.includes('editor')) await warmEditor();
  for (const rate of RELAY_ONLY && SURFACES.includes('editor') ? RATES : []) {
    for (const variant of VARIANTS) await runEditor(variant, LATENCY_TOKENS[rate], rate);
  }
  if (!ONLY) await restOfSuite();
} finally {
  await browser.close();
  server.stop();
  fixtures.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
}

if (ONLY) {
  const out = process.env.ASKLLM_BENCH_OUT ?? path.join(root, '.cache/bench-relay.json');
  fs.writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`[bench] relay only: wrote ${out}`);
  process.exit(0);
}

/** Render cost, the document at every rate, the naive baseline, time to first token, footprint. */
async function restOfSuite() {
  for (const tokens of RENDER_LENGTHS) {
    for (const variant of ['ours', 'floor', 'naive']) {
      if (variant === 'naive' && tokens > NAIVE_MAX_TOKENS.webview) continue;
      await runWebview(variant, tokens, 2000);
    }
  }
  await warmEditor();
  for (const rate of RATES) {
    for (const variant of ['ours', 'floor', 'naive']) {
      await runEditor(variant, Math.min(LATENCY_TOKENS[rate], variant === 'naive' ? NAIVE_MAX_TOKENS.editor : Infinity), rate);
    }
  }

  // Time to first token: the bare SDK in plain Node on the same stream.
  const sdkUrl = `${fixtures.url}/bsynth/50/2000/${MARK_EVERY}/v1`;
  const sdkRuns = JSON.parse(execFileSync(process.execPath, [path.join(root, 'dist/bench/sdkBaseline.js'), sdkUrl, '10']).toString());
  const reqs = (await (await fetch(`${fixtures.url}/_log`)).json()).filter((r) => r.url.startsWith('/bsynth/50/2000/'));
  const sdkFirst = [];
  for (let i = 0; i < sdkRuns.length; i++) {
    const marks = await (await fetch(`${fixtures.url}/_marks?id=${reqs[reqs.length - sdkRuns.length + i].id}`)).json();
    sdkFirst.push(sdkRuns[i].firstDeltaAt - marks['0']);
  }
  const ours = results.runs.filter((r) => r.surface === 'webview' && r.variant === 'ours');
  const floorRuns = results.runs.filter((r) => r.surface === 'webview' && r.variant === 'floor');
  results.ttft = {
    sdkFirstByteToDeltaMs: stats(sdkFirst),
    floorFirstByteToVisibleMs: stats(floorRuns.map((r) => r.firstByteToVisibleMs).filter((x) => x !== null)),
    oursFirstByteToVisibleMs: stats(ours.map((r) => r.firstByteToVisibleMs).filter((x) => x !== null)),
    oursCommandToRequestMs: stats(ours.map((r) => r.commandToRequestMs).filter((x) => x !== null)),
  };

  await hopRuns();
  await selectionRuns();
  await continueRuns();

  // Footprint.
  const logs = execFileSync('bash', ['-c', `grep -rh "activated in" "${server.userData}/logs" 2>/dev/null | tail -1`]).toString();
  const vsix = path.join(root, '.cache/bench-ask-llm.vsix');
  // scripts/package.mjs, as `npm run package`: the production bundles, and the README's relative links allowed.
  execFileSync(process.execPath, [path.join(root, 'scripts/package.mjs'), '--out', vsix], { cwd: root, stdio: 'ignore' });
  const big = results.runs.filter((r) => r.surface === 'webview' && r.variant === 'ours').pop();
  results.footprint = {
    activationMs: Number(/activated in ([\d.]+) ms/.exec(logs)?.[1] ?? NaN),
    activationIsolated: JSON.parse(execFileSync(process.execPath, [path.join(root, 'bench/activation.mjs')]).toString()),
    extensionBundleKB: fs.statSync(path.join(root, 'dist/extension.js')).size / 1024,
    webviewBundleKB: fs.statSync(path.join(root, 'dist/webview.js')).size / 1024,
    vsixKB: fs.statSync(vsix).size / 1024,
    afterLongestAnswer: { tokens: big.tokens, webviewHeapMB: big.webviewHeapMB, hostHeapMB: big.hostHeapMB },
  };
}

// ---- report -----------------------------------------------------------------------------------
const dir = path.join(root, 'bench/results');
fs.mkdirSync(dir, { recursive: true });
const stamp = results.when.replace(/[:.]/g, '-');
fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify(results, null, 2));
fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(results, null, 2));
fs.writeFileSync(path.join(dir, 'latest.svg'), renderSvg(results));
const { table } = await import('./table.mjs');
console.log(`\n${table(results)}\n\n[bench] wrote bench/results/${stamp}.json, latest.json, latest.svg`);
process.exit(0);
