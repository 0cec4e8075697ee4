// The benchmark's figures as a Markdown table, ours against the floor probe and the naive baseline.
const f = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
const ratio = (a, b) => (a === null || b === null || a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`);

export function table(results) {
  const find = (surface, variant, tokens, rate) => results.runs.find((r) => r.surface === surface && r.variant === variant && r.rate === rate && (tokens === undefined || r.tokens === tokens));
  const rows = [];
  rows.push('| surface | rate (tok/s) | tokens | ours p50 / p95 (ms) | floor p50 / p95 | naive p50 / p95 | ours/floor p50, p95 | ours/naive p95 | ours keep-up (ms) |');
  rows.push('|---|---|---|---|---|---|---|---|---|');
  for (const surface of ['webview', 'editor']) {
    for (const rate of [50, 500, 2000]) {
      const o = results.runs.find((r) => r.surface === surface && r.variant === 'ours' && r.rate === rate);
      if (!o) continue;
      const fl = find(surface, 'floor', o.tokens, rate);
      const nv = results.runs.find((r) => r.surface === surface && r.variant === 'naive' && r.rate === rate);
      rows.push(`| ${surface === 'webview' ? 'chat DOM' : 'document'} | ${rate} | ${o.tokens} | ${f(o.latency.p50)} / ${f(o.latency.p95)} | ${f(fl?.latency.p50)} / ${f(fl?.latency.p95)} | ${f(nv?.latency.p50)} / ${f(nv?.latency.p95)} | ${ratio(o.latency.p50, fl?.latency.p50)}, ${ratio(o.latency.p95, fl?.latency.p95)} | ${ratio(o.latency.p95, nv?.latency.p95)} | ${f(o.keepUpMs, 0)} |`);
    }
  }
  rows.push('');
  rows.push('| chat render at 2,000 tok/s | tokens | busy ms / 1k tokens | layout ms / 1k | tasks > 50 ms | longest task (ms) | host CPU ms / 1k |');
  rows.push('|---|---|---|---|---|---|---|');
  const lengths = [...new Set(results.runs.filter((r) => r.surface === 'webview' && r.rate === 2000).map((r) => r.tokens))].sort((a, b) => a - b);
  for (const variant of ['ours', 'floor', 'naive']) {
    for (const tokens of lengths) {
      const r = find('webview', variant, tokens, 2000);
      if (r) rows.push(`| ${variant} | ${tokens} | ${f(r.busyMsPer1k)} | ${f(r.layoutMsPer1k)} | ${r.longTasks} | ${f(r.maxTaskMs, 0)} | ${f(r.hostCpuMsPer1k)} |`);
    }
  }
  // Growth between the two render lengths (10k and 50k in a full run), ours and the floor.
  const [small, big] = lengths.slice(-2);
  const growth = (variant) => ratio(find('webview', variant, big, 2000)?.busyMsPer1k, find('webview', variant, small, 2000)?.busyMsPer1k);
  if (small && big) rows.push(`\nRender cost growth from ${small} to ${big} tokens, per 1k tokens: ours ${growth('ours')} (target ≤ 1.5×), floor ${growth('floor')}.`);
  const eds = results.runs.filter((r) => r.surface === 'editor');
  rows.push('');
  rows.push('| editor | rate | tokens | edits | host CPU ms / 1k |');
  rows.push('|---|---|---|---|---|');
  for (const r of eds) rows.push(`| ${r.variant} | ${r.rate} | ${r.tokens} | ${r.edits} | ${f(r.hostCpuMsPer1k)} |`);
  const t = results.ttft ?? {};
  const fp = results.footprint ?? {};
  rows.push('');
  rows.push(`Time to first token: first response byte → visible in the chat p50 ${f(t.oursFirstByteToVisibleMs?.p50)} ms vs the bare SDK in Node (→ first delta) p50 ${f(t.sdkFirstByteToDeltaMs?.p50)} ms, added ${f((t.oursFirstByteToVisibleMs?.p50 ?? NaN) - (t.sdkFirstByteToDeltaMs?.p50 ?? NaN))} ms (target ≤ 5); the floor probe through the same extension host → webview hop p50 ${f(t.floorFirstByteToVisibleMs?.p50)} ms; command (Enter in the chat) → request at the server p50 ${f(t.oursCommandToRequestMs?.p50)} ms.`);
  if (results.hop) rows.push(`Enter → request at the server (${results.hop.reps} interleaved): ours p50 ${f(results.hop.ours.p50)} / p95 ${f(results.hop.ours.p95)} ms, the floor's bare hop (webview → extension host → fetch) p50 ${f(results.hop.floor.p50)} / p95 ${f(results.hop.floor.p95)} ms, ratio p50 ${ratio(results.hop.ours.p50, results.hop.floor.p50)} (target ≤ 1.25×).`);
  const sel = results.selections;
  if (sel) {
    const med = (xs) => { const v = [...xs].sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
    const one = med(sel[1].map((r) => r.latency.p95));
    const eight = med(sel[8].map((r) => r.worstRangeP95));
    const ratios = sel[8].map((r, i) => r.worstRangeP95 / sel[1][i].latency.p95);
    rows.push(`Eight selections at once, 500 tokens/s each (${sel[8].length} interleaved with one): relay p95 of the worst range ${f(eight)} ms vs one selection's ${f(one)} ms (medians), ratio per pair median ${f(med(ratios))}× [${f(Math.min(...ratios))}–${f(Math.max(...ratios))}] (target ≤ 1.5×); ${f(med(sel[8].map((r) => r.editsPerSecond)), 0)} edits/s in all (about one a frame or fewer is the target); one undo restores the document: ${sel[8].every((r) => r.undoRestores) ? 'yes' : 'NO'}, one redo brings it back: ${sel[8].every((r) => r.redoRestores) ? 'yes' : 'NO'}.`);
  }
  rows.push(`Footprint: activation (bundle load + activate) ${f(fp.activationIsolated?.totalMs)} ms in isolation, median of 15 fresh processes (target ≤ 30); ${f(fp.activationMs)} ms inside the workbench at startup (one sample, shares two cores with VS Code starting), extension bundle ${f(fp.extensionBundleKB, 0)} KB, webview bundle ${f(fp.webviewBundleKB, 0)} KB, VSIX ${f(fp.vsixKB, 0)} KB (target ≤ 1,536), after a ${fp.afterLongestAnswer?.tokens}-token answer: webview JS heap ${f(fp.afterLongestAnswer?.webviewHeapMB)} MB, extension host heap ${f(fp.afterLongestAnswer?.hostHeapMB)} MB.`);
  return rows.join('\n');
}
