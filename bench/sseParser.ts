// SseParser cost against line length: one `data:` line of 256 KB and of 1 MB, fed byte by byte (each
// byte its own Uint8Array, as a slow network could deliver it), then "\n\n". A parser that scans only
// new text grows linearly (1 MB / 256 KB ≈ 4); one that rescans its buffer on every push, ≈ 16.
//
//   node esbuild.js --tests && node dist/bench/sseParser.js
//
// Prints the median of 3 repetitions (sizes interleaved, so drift hits both alike) with the min–max
// spread, and the ratio of the medians. SSE_BENCH_CAP_MS (default 120000) stops a single run that
// takes longer and reports it as capped, with how far it got. SSE_BENCH_KB="64,256" picks other line
// sizes (in KB; the ratio is then of the last to the first), for a parser too slow for the defaults.
import { SseParser } from '../src/core/sse';

const SIZES = (process.env.SSE_BENCH_KB ?? '256,1024').split(',').map((kb) => Number(kb) * 1024);
const REPS = 3;
const CAP_MS = Number(process.env.SSE_BENCH_CAP_MS ?? 120_000);

interface Run {
  ms: number;
  /** Bytes fed before the cap stopped the run (the whole body when it finished). */
  fed: number;
  capped: boolean;
}

function body(size: number): Uint8Array {
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i++) payload[i] = 33 + ((i * 7919) % 94); // printable ASCII, no line ends
  const head = new TextEncoder().encode('data: ');
  const out = new Uint8Array(head.length + size + 2);
  out.set(head, 0);
  out.set(payload, head.length);
  out.set([10, 10], head.length + size);
  return out;
}

function run(bytes: Uint8Array, payloadSize: number): Run {
  const parser = new SseParser();
  let events = 0;
  let dataLength = -1;
  const t0 = performance.now();
  for (let i = 0; i < bytes.length; i++) {
    for (const ev of parser.push(bytes.subarray(i, i + 1))) {
      events++;
      dataLength = ev.data.length;
    }
    if ((i & 4095) === 0 && performance.now() - t0 > CAP_MS) return { ms: performance.now() - t0, fed: i + 1, capped: true };
  }
  parser.end();
  const ms = performance.now() - t0;
  if (events !== 1 || dataLength !== payloadSize) throw new Error(`wrong result: ${events} events, data length ${dataLength} (want 1, ${payloadSize})`);
  return { ms, fed: bytes.length, capped: false };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const label = (size: number) => (size >= 1024 * 1024 ? `${size / (1024 * 1024)} MB` : `${size / 1024} KB`);

function main(): void {
  run(body(16 * 1024), 16 * 1024); // warm up the JIT
  const bodies = SIZES.map(body);
  const runs: Run[][] = SIZES.map(() => []);
  for (let r = 0; r < REPS; r++) {
    SIZES.forEach((size, k) => {
      if (runs[k].some((x) => x.capped)) return; // once capped, don't pay for it again
      runs[k].push(run(bodies[k], size));
    });
  }
  console.log(`SseParser, one data: line in 1-byte Uint8Array chunks + "\\n\\n", median of ${REPS} (min–max)`);
  const medians = SIZES.map((size, k) => {
    const ms = runs[k].map((x) => x.ms);
    const capped = runs[k].find((x) => x.capped);
    const note = capped ? `  CAPPED at ${fmt(capped.ms)} ms after ${capped.fed} of ${bodies[k].length} bytes` : '';
    const m = median(ms);
    console.log(`  ${label(size).padStart(6)}: ${fmt(m)} ms (${fmt(Math.min(...ms))}–${fmt(Math.max(...ms))}, n=${ms.length})${note}`);
    return capped ? undefined : m;
  });
  const [small, large] = [medians[0], medians[medians.length - 1]];
  const growth = SIZES[SIZES.length - 1] / SIZES[0];
  if (small !== undefined && large !== undefined) {
    console.log(`  ratio time(${label(SIZES[SIZES.length - 1])})/time(${label(SIZES[0])}) = ${(large / small).toFixed(2)} (linear ≈ ${growth}, quadratic ≈ ${growth * growth})`);
  } else {
    console.log('  ratio: not computed (a size was capped)');
  }
}

main();
