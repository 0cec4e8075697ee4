// A small self-contained SVG: relay latency (p50 / p95) by rate, and chat render cost by length,
// for ours, the floor probe and the naive baseline. Log scale for latency (naive falls seconds behind).
const COLORS = { ours: '#1f77b4', floor: '#2ca02c', naive: '#d62728' };

function bars(title, groups, unit, { log = false } = {}) {
  const w = 560, h = 260, left = 60, bottom = 40, top = 30;
  const values = groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => v > 0);
  const max = Math.max(...values, 1);
  // Half the smallest value, so the smallest bar still shows on a log axis.
  const min = log ? Math.max(0.5, Math.min(...values) / 2) : 0;
  const y = (v) => {
    const ph = h - top - bottom;
    if (!log) return h - bottom - (v / max) * ph;
    return h - bottom - ((Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min) || 1)) * ph;
  };
  const gw = (w - left - 10) / groups.length;
  let out = `<g><text x="${w / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${title}</text>`;
  out += `<line x1="${left}" y1="${h - bottom}" x2="${w - 10}" y2="${h - bottom}" stroke="#888"/>`;
  out += `<text x="12" y="${top + 10}" font-size="10" fill="#555">${unit}${log ? ' (log)' : ''}</text>`;
  groups.forEach((g, gi) => {
    const bw = (gw - 16) / g.bars.length;
    g.bars.forEach((b, bi) => {
      const x = left + gi * gw + 8 + bi * bw;
      const yy = y(b.value);
      out += `<rect x="${x}" y="${yy}" width="${bw - 2}" height="${Math.max(0, h - bottom - yy)}" fill="${COLORS[b.variant]}"><title>${b.variant}: ${b.value.toFixed(1)} ${unit}</title></rect>`;
      out += `<text x="${x + (bw - 2) / 2}" y="${yy - 3}" font-size="9" text-anchor="middle">${b.value < 10 ? b.value.toFixed(1) : Math.round(b.value)}</text>`;
    });
    out += `<text x="${left + gi * gw + gw / 2}" y="${h - bottom + 16}" font-size="11" text-anchor="middle">${g.label}</text>`;
  });
  return `${out}</g>`;
}

export function renderSvg(results) {
  const pick = (surface, rate) => ['ours', 'floor', 'naive'].map((variant) => {
    const r = results.runs.find((x) => x.surface === surface && x.variant === variant && x.rate === rate);
    return r ? { variant, value: r.latency.p95 ?? 0 } : null;
  }).filter(Boolean);
  const latency = (surface) => [50, 500, 2000].map((rate) => ({ label: `${rate} tok/s`, bars: pick(surface, rate) }));
  const lengths = [...new Set(results.runs.filter((r) => r.surface === 'webview' && r.rate === 2000).map((r) => r.tokens))].sort((a, b) => a - b);
  const render = lengths.map((tokens) => ({
    label: `${tokens} tokens`,
    bars: ['ours', 'floor', 'naive'].map((variant) => {
      const r = results.runs.find((x) => x.surface === 'webview' && x.variant === variant && x.rate === 2000 && x.tokens === tokens);
      return r ? { variant, value: r.busyMsPer1k } : null;
    }).filter(Boolean),
  }));
  const panels = [
    bars('Chat: server write → visible in the DOM, p95', latency('webview'), 'ms', { log: true }),
    bars('Editor: server write → in the document, p95', latency('editor'), 'ms', { log: true }),
    bars('Chat render cost at 2,000 tok/s', render, 'busy ms / 1k tokens'),
  ];
  const legend = Object.entries(COLORS).map(([k, c], i) => `<rect x="${20 + i * 90}" y="6" width="12" height="12" fill="${c}"/><text x="${36 + i * 90}" y="16" font-size="12">${k}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="560" height="${30 + panels.length * 270}" font-family="sans-serif" style="background:#fff">
<g>${legend}<text x="300" y="16" font-size="11" fill="#555">${results.when}${results.quick ? ' (quick run)' : ''}</text></g>
${panels.map((p, i) => `<g transform="translate(0, ${30 + i * 270})">${p}</g>`).join('\n')}
</svg>`;
}
