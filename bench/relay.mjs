// Relay latency before and after a change, interleaved (before, after, before, after, …) so the
// machine's noise falls on both alike. Each run measures ours and the floor probe in the same
// workbench; the figure that travels between runs is ours/floor, reported as the median of the
// repetitions with its min–max spread.
//
//   node bench/relay.mjs [--before REV] [--after REV] [--reps N] [--rates 2000] [--surfaces webview]
//   (default: --before HEAD~1, after = this checkout, --reps 3, every rate and both surfaces)
//
// A REV is checked out as a worktree in .cache/ (sharing node_modules), built, and loaded instead of
// this checkout's extension; the fixture server, the floor probe and the harness are this checkout's.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const beforeRev = arg('--before', 'HEAD~1');
const reps = Number(arg('--reps', '3'));
const git = (...a) => execFileSync('git', a, { cwd: root }).toString().trim();

const afterRev = arg('--after', undefined);
/** A worktree of `rev` in .cache/, sharing node_modules. */
function worktree(rev) {
  const dir = path.join(root, '.cache', `bench-before-${rev}`);
  if (!fs.existsSync(dir)) {
    git('worktree', 'add', '--detach', dir, rev);
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  }
  return dir;
}
const sha = git('rev-parse', '--short', beforeRev);
const trees = { before: worktree(sha), after: afterRev ? worktree(git('rev-parse', '--short', afterRev)) : undefined };
const after = afterRev ? git('rev-parse', '--short', afterRev) : `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '+changes' : ''}`;
const narrow = {
  ...(arg('--rates') ? { ASKLLM_BENCH_RATES: arg('--rates') } : {}),
  ...(arg('--surfaces') ? { ASKLLM_BENCH_SURFACES: arg('--surfaces') } : {}),
};

const outDir = path.join(root, '.cache', 'bench-relay');
fs.mkdirSync(outDir, { recursive: true });
const runs = { before: [], after: [] };
for (let i = 0; i < reps; i++) {
  for (const side of ['before', 'after']) {
    const out = path.join(outDir, `${side}-${i}.json`);
    console.log(`[relay] ${side} (${side === 'before' ? sha : after}), repetition ${i + 1} of ${reps}`);
    const run = () => execFileSync(process.execPath, [path.join(root, 'bench/run.mjs')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...narrow, ASKLLM_BENCH_ONLY: 'relay', ASKLLM_BENCH_OUT: out, ...(trees[side] ? { ASKLLM_BENCH_EXTENSION: trees[side] } : {}) },
    });
    try {
      run();
    } catch {
      // A busy workbench now and then misses a palette step: one more try before giving up.
      console.log(`[relay] ${side} repetition ${i + 1} failed; trying it once more`);
      run();
    }
    runs[side].push(JSON.parse(fs.readFileSync(out, 'utf8')));
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs, unit = '') => `${median(xs).toFixed(2)}${unit} [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
const find = (result, surface, variant, rate) => result.runs.find((r) => r.surface === surface && r.variant === variant && r.rate === rate);

const rows = [];
for (const surface of ['webview', 'editor']) {
  for (const rate of [...new Set(runs.after[0].runs.filter((r) => r.surface === surface).map((r) => r.rate))]) {
    const cell = (side, p) => runs[side].map((res) => find(res, surface, 'ours', rate).latency[p] / find(res, surface, 'floor', rate).latency[p]);
    const ms = (side, p) => runs[side].map((res) => find(res, surface, 'ours', rate).latency[p]);
    rows.push(`| ${surface === 'webview' ? 'chat DOM' : 'document'} | ${rate} | ${fmt(ms('before', 'p50'))} / ${fmt(ms('before', 'p95'))} | ${fmt(ms('after', 'p50'))} / ${fmt(ms('after', 'p95'))} | ${fmt(cell('before', 'p50'), '×')} / ${fmt(cell('before', 'p95'), '×')} | ${fmt(cell('after', 'p50'), '×')} / ${fmt(cell('after', 'p95'), '×')} |`);
  }
}
// The document's own figures, after the change: keep-up (the last token's arrival in the document)
// and the first edit into the new untitled document, ours and the floor's.
const docRows = [];
for (const rate of [...new Set(runs.after[0].runs.filter((r) => r.surface === 'editor').map((r) => r.rate))]) {
  const of = (variant, key) => runs.after.map((res) => find(res, 'editor', variant, rate)?.[key]).filter((x) => typeof x === 'number');
  const cell = (key) => {
    const o = of('ours', key);
    const f = of('floor', key);
    return o.length && f.length ? `${fmt(o, ' ms')} / ${fmt(f, ' ms')}` : 'n/a';
  };
  docRows.push(`| ${rate} | ${cell('keepUpMs')} | ${cell('firstEditMs')} |`);
}
const table = [
  `Relay latency, ${reps} interleaved repetitions, median [min–max]; before = ${sha}, after = ${after}`,
  '',
  '| surface | tok/s | before ours p50 / p95 (ms) | after ours p50 / p95 (ms) | before ours/floor p50 / p95 | after ours/floor p50 / p95 |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `Document, after (${after}): ours / floor, median [min–max] of ${reps}`,
  '',
  '| tok/s | keep-up after the last token | first edit into the new document |',
  '|---|---|---|',
  ...docRows,
].join('\n');
fs.writeFileSync(path.join(outDir, 'table.md'), `${table}\n`);
console.log(`\n${table}\n\n[relay] also in .cache/bench-relay/table.md`);
