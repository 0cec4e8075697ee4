// Sums a Chrome trace's complete events on the renderer's main thread by name (self time):
//   node bench/trace.mjs TRACE.json [N]
import * as fs from 'node:fs';

const [file, n = '25'] = process.argv.slice(2);
const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
const events = Array.isArray(raw) ? raw : raw.traceEvents;
const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
const byThread = new Map();
for (const e of events) {
  if (e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`) || e.dur === undefined) continue;
  const k = `${e.pid}:${e.tid}`;
  if (!byThread.has(k)) byThread.set(k, []);
  byThread.get(k).push(e);
}
for (const [thread, list] of byThread) {
  list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Self time: a stack of open events; each event's time minus its children's.
  const self = new Map();
  const stack = [];
  for (const e of list) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur);
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur);
    stack.push(e);
  }
  console.log(`thread ${thread}: ${list.length} events`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${(us / 1000).toFixed(1).padStart(9)} ms  ${name}`);
}
