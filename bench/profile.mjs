// Reads a .cpuprofile (Chrome DevTools format) and prints the functions with the most self time,
// and the scripts by self time:  node bench/profile.mjs FILE [N]
import * as fs from 'node:fs';

const [file, n = '30'] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  self.set(node, (self.get(node) ?? 0) + (dt[i] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map();
const scripts = new Map();
for (const [node, ms] of self) {
  const { functionName, url, lineNumber } = node.callFrame;
  const script = url ? url.replace(/^.*\//, '') : '(native)';
  const key = `${functionName || '(anonymous)'}  ${script}:${lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + ms);
  scripts.set(script, (scripts.get(script) ?? 0) + ms);
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
console.log(`total sampled ${total.toFixed(0)} ms`);
for (const [k, ms] of top(scripts, 12)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${(100 * ms / total).toFixed(1).padStart(5)}%  ${k}`);
console.log('');
for (const [k, ms] of top(fns, Number(n))) console.log(`${ms.toFixed(1).padStart(7)} ms  ${(100 * ms / total).toFixed(1).padStart(5)}%  ${k}`);
