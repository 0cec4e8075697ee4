// What opening the connection ahead saves (providers/network.ts, `preconnect`): the time from the
// question to the answer's first text, cold (nothing open) and warm (preconnect called while the
// "user types", 300 ms before), for an OpenAI-compatible provider over HTTPS behind a proxy tunnel
// on a link with a round trip of BENCH_RTT_MS (default 0,50: each byte both ways delayed by half).
//
//   npm run bench:preconnect   (node esbuild.js --tests && node dist/bench/preconnect.js)
//
// Cold and warm alternate (REPS each); each run has a route of its own (a new proxy), so nothing
// stays open from the run before. Prints the median with the min–max spread.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { createApi } from '../src/api';
import type { ProviderProfile } from '../src/core/types';
import { preconnect } from '../src/providers/network';
import { tlsDir } from '../test/support/tls';

const RTTS = (process.env.BENCH_RTT_MS ?? '0,50').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 7);
const TLS_DIR = tlsDir();
const HOST = 'askllm-proxy-test.invalid'; // a name in the test certificate, reachable only through the proxy

/** An HTTPS provider that answers every request with a short OpenAI chat stream. */
async function provider(): Promise<https.Server> {
  const server = https.createServer({ cert: fs.readFileSync(path.join(TLS_DIR, 'server.pem')), key: fs.readFileSync(path.join(TLS_DIR, 'server-key.pem')) }, (req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method !== 'POST') return res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'b', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.end(chunk({ role: 'assistant', content: 'Hello' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** Delays every chunk by `ms`, in order. */
const lag = (ms: number) => new Transform({
  transform(chunk, _enc, done) {
    if (!ms) return done(null, chunk);
    setTimeout(() => done(null, chunk), ms);
  },
});

/** A CONNECT proxy to `port` on a link with this round trip (half of it each way). */
async function slowProxy(port: number, rttMs: number): Promise<{ url: string; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (_req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    // The CONNECT itself crosses the link too: its reply waits a round trip.
    setTimeout(() => {
      const up = net.connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        client.pipe(lag(rttMs / 2)).pipe(up);
        up.pipe(lag(rttMs / 2)).pipe(client);
      });
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    }, rttMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

async function firstText(profile: ProviderProfile): Promise<number> {
  const api = createApi({ profiles: () => [profile], activeProfileId: () => profile.id, keysFor: async () => ({ apiKey: 'sk-bench' }) });
  const t0 = performance.now();
  let at: number | undefined;
  for await (const e of api.streamEvents('hi')) {
    if (e.type === 'text' && at === undefined) at = performance.now() - t0;
    if (e.type === 'error') throw new Error(e.error.message);
  }
  if (at === undefined) throw new Error('no text');
  return at;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `${median(xs).toFixed(1)} [${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}]`;

async function main() {
  const server = await provider();
  const port = (server.address() as net.AddressInfo).port;
  const ca = path.join(TLS_DIR, 'ca.pem');
  console.log(`question → first text, ms, median [min–max] of ${REPS}; HTTPS through a proxy tunnel`);
  for (const rtt of RTTS) {
    const out = { cold: [] as number[], warm: [] as number[] };
    for (let i = 0; i < REPS; i++) {
      for (const mode of ['cold', 'warm'] as const) {
        const proxy = await slowProxy(port, rtt);
        const profile: ProviderProfile = { id: `${mode}-${rtt}-${i}`, kind: 'openai', model: 'm', baseUrl: `https://${HOST}:${port}/v1`, proxy: proxy.url, caFile: ca, maxRetries: 0 };
        if (mode === 'warm') {
          await preconnect(profile);
          await new Promise((r) => setTimeout(r, 300)); // the user types on
        }
        out[mode].push(await firstText(profile));
        proxy.close();
      }
    }
    console.log(`round trip ${String(rtt).padStart(3)} ms: cold ${fmt(out.cold)}, warm ${fmt(out.warm)}, saved ${(median(out.cold) - median(out.warm)).toFixed(1)} ms`);
  }
  server.close();
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
