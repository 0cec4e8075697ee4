// Figures for the README's Reliability table, over real HTTP on 127.0.0.1 through the public API
// (the pass/fail checks are test/unit/faults.test.ts; this only measures):
//   - Stop latency per kind: abort() → the server sees its connection close, while the server is
//     silent mid-stream (after the first text) and before any byte of the response. Median and max
//     of FAULTS_BENCH_REPS (default 7) runs, kinds interleaved.
//   - Memory under one enormous event (a 50 MB `data:` line / NDJSON line after some text): the
//     peak growth of heap + array buffers and of RSS over the run, sampled every 2 ms, per kind.
//   - Eight streams at once on one API, eight kinds, each dripped 32 bytes a millisecond: wall
//     time, each stream's time to first text and duration, and whether all ended well and unmixed.
//
//   node esbuild.js --tests && node --expose-gc dist/bench/faults.js [--json]
import { createApi } from '../src/api';
import type { LlmEvent, ProviderProfile } from '../src/core/types';
import { startFixtureServer, type FixtureServer, type RecordedRequest } from '../test/support/fixtureServer';
import { ERNIE_SECRET, expectedText, HTTP_KINDS, KIND_CASES, type HttpKind } from '../test/support/kinds';

const REPS = Number(process.env.FAULTS_BENCH_REPS ?? 7);
const KEYS = { apiKey: 'sk-bench', secretKey: ERNIE_SECRET };
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gc = () => (globalThis as { gc?: () => void }).gc?.();

let server: FixtureServer;
let seq = 0;

function apiFor(profiles: ProviderProfile[]) {
  return createApi({ profiles: () => profiles.map((p) => ({ maxRetries: 0, ...p })), activeProfileId: () => profiles[0].id, keysFor: async () => KEYS });
}

const answers = (id: string): RecordedRequest[] => server.requests.filter((r) => r.url.includes(`/${id}/`) && !r.url.includes('/oauth/'));

async function waitFor<T>(get: () => T | undefined, ms = 5000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await sleep(2);
  }
}

/** One Stop: abort on the first text (mid) or once the request reached the silent server (silent). */
async function stopOnce(kind: HttpKind, when: 'mid' | 'silent'): Promise<{ ms: number; terminal: string; kept: boolean }> {
  const id = `${kind}-bstop-${++seq}`;
  const fault = when === 'mid' ? `stall:${KIND_CASES[kind].partial}` : 'silent';
  const profile = KIND_CASES[kind].profile(`${server.url}/fx/${fault}`, id);
  const ctl = new AbortController();
  let abortedAt = 0;
  let text = '';
  let terminal: LlmEvent | undefined;
  const run = (async () => {
    for await (const ev of apiFor([profile]).streamEvents('hi', { signal: ctl.signal })) {
      if (ev.type === 'text') {
        text += ev.text;
        if (when === 'mid' && !abortedAt) {
          abortedAt = now();
          ctl.abort();
        }
      }
      if (ev.type === 'end' || ev.type === 'error') terminal = ev;
    }
  })();
  if (when === 'silent') {
    await waitFor(() => answers(id)[0]);
    await sleep(20);
    abortedAt = now();
    ctl.abort();
  }
  await run;
  const req = await server.waitClosed(answers(id)[0].id, 5000);
  return {
    ms: req.closedAt! - abortedAt,
    terminal: terminal?.type === 'end' ? `end/${terminal.finishReason}` : `${terminal?.type}`,
    kept: when === 'silent' || (text.length > 0 && expectedText(kind).startsWith(text)),
  };
}

async function stopLatency() {
  const rows: Array<{ kind: HttpKind; when: string; medianMs: number; maxMs: number; terminals: string[]; kept: boolean }> = [];
  const samples = new Map<string, Array<{ ms: number; terminal: string; kept: boolean }>>();
  for (let rep = 0; rep < REPS; rep++) {
    for (const kind of HTTP_KINDS) {
      for (const when of ['mid', 'silent'] as const) {
        const key = `${kind}|${when}`;
        samples.set(key, [...(samples.get(key) ?? []), await stopOnce(kind, when)]);
      }
    }
  }
  for (const [key, runs] of samples) {
    const [kind, when] = key.split('|') as [HttpKind, string];
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    rows.push({ kind, when, medianMs: ms[Math.floor(ms.length / 2)], maxMs: ms[ms.length - 1], terminals: [...new Set(runs.map((r) => r.terminal))], kept: runs.every((r) => r.kept) });
  }
  return rows;
}

async function hugeEvent(kind: HttpKind) {
  gc();
  await sleep(50);
  const base = process.memoryUsage();
  let peakHeap = 0;
  let peakRss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss - base.rss);
  };
  const timer = setInterval(sample, 2);
  const id = `${kind}-bhuge-${++seq}`;
  const t0 = now();
  let terminal: LlmEvent | undefined;
  let text = '';
  try {
    for await (const ev of apiFor([KIND_CASES[kind].profile(`${server.url}/fx/huge:50:${KIND_CASES[kind].partial}`, id)]).streamEvents('hi')) {
      if (ev.type === 'text') text += ev.text;
      if (ev.type === 'end' || ev.type === 'error') terminal = ev;
    }
  } finally {
    sample();
    clearInterval(timer);
  }
  const ms = now() - t0;
  return {
    kind,
    terminal: terminal?.type === 'error' ? `error/${terminal.error.kind}` : `end/${(terminal as { finishReason?: string })?.finishReason}`,
    textKept: text.length > 0,
    ms: Math.round(ms),
    peakHeapMB: +(peakHeap / 1048576).toFixed(1),
    peakRssMB: +(peakRss / 1048576).toFixed(1),
  };
}

async function eightStreams() {
  const kinds: HttpKind[] = ['openai', 'openai-responses', 'azure-openai', 'anthropic', 'gemini', 'ollama', 'dashscope', 'ernie'];
  const profiles = kinds.map((k) => KIND_CASES[k].profile(`${server.url}/fx/drip:1:32`, `${k}-beight-${++seq}`));
  const api = apiFor(profiles);
  const t0 = now();
  const runs = await Promise.all(kinds.map(async (kind, i) => {
    let first = 0;
    let text = '';
    let terminal: LlmEvent | undefined;
    for await (const ev of api.streamEvents('hi', { provider: profiles[i].id })) {
      if (ev.type === 'text') {
        if (!first) first = now();
        text += ev.text;
      }
      if (ev.type === 'end' || ev.type === 'error') terminal = ev;
    }
    return { kind, firstTextMs: Math.round(first - t0), durationMs: Math.round(now() - t0), ok: terminal?.type === 'end' && text === expectedText(kind) };
  }));
  return { wallMs: Math.round(now() - t0), allOk: runs.every((r) => r.ok), runs };
}

async function main() {
  server = await startFixtureServer();
  try {
    const huge = [];
    for (const kind of HTTP_KINDS) huge.push(await hugeEvent(kind));
    const stop = await stopLatency();
    const eight = await eightStreams();
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify({ stop, huge, eight }, null, 2));
      return;
    }
    console.log(`Stop latency (abort → server sees the close), ${REPS} runs per cell, ms:`);
    console.log('| kind | silent mid-stream: median / max | before any byte: median / max | terminal | text kept |');
    console.log('|---|---|---|---|---|');
    for (const kind of HTTP_KINDS) {
      const mid = stop.find((r) => r.kind === kind && r.when === 'mid')!;
      const silent = stop.find((r) => r.kind === kind && r.when === 'silent')!;
      console.log(`| ${kind} | ${mid.medianMs.toFixed(1)} / ${mid.maxMs.toFixed(1)} | ${silent.medianMs.toFixed(1)} / ${silent.maxMs.toFixed(1)} | ${[...new Set([...mid.terminals, ...silent.terminals])].join(', ')} | ${mid.kept ? 'yes' : 'NO'} |`);
    }
    console.log('\nOne 50 MB event after some text:');
    console.log('| kind | terminal | text kept | time (ms) | peak heap + buffers growth (MB) | peak RSS growth (MB) |');
    console.log('|---|---|---|---|---|---|');
    for (const h of huge) console.log(`| ${h.kind} | ${h.terminal} | ${h.textKept ? 'yes' : 'no'} | ${h.ms} | ${h.peakHeapMB} | ${h.peakRssMB} |`);
    console.log(`\nEight streams at once (${eight.runs.map((r) => r.kind).join(', ')}): wall ${eight.wallMs} ms, all ended well and unmixed: ${eight.allOk}`);
    for (const r of eight.runs) console.log(`  ${r.kind}: first text ${r.firstTextMs} ms, done ${r.durationMs} ms${r.ok ? '' : ' (WRONG)'}`);
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
