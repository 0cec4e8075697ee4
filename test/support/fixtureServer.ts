// A real HTTP server on 127.0.0.1 that replays test/fixtures/providers and injects faults.
// Every test layer, the demo (scripts/start.sh) and the bench talk to it over real sockets.
//
// Routes (anything after the route's own segments is ignored, so a profile's baseUrl can carry them):
//   /replay/<fixture>/<mode>/…      mode: whole | bytes | random-<seed> | offsets (the fixture's replay offsets)
//   /fault/stall/<fixture>/…        headers + the first half of the body, then silence until the client leaves
//   /fault/reset/<fixture>/…        the first half of the body, then the socket is destroyed
//   /fault/slow-headers/<ms>/<fixture>/…
//   /fault/html/…                   a proxy's 502 HTML page
//   /fault/html200/…                a web page with status 200 (a base URL that is a website)
//   /fault/flaky/<n>/<fixture>/…    the first n requests on this key get 429 (Retry-After: 0), then the fixture
//   /fx/<fault>/<any route above>…  the route's answer (ERNIE's chat, not its token request) with a fault:
//                                   silent (never a byte), quiet (headers, then silence), stall | cut | reset[:<k>]
//                                   (the first k events, then silence | a clean end | a destroyed socket),
//                                   resetonce:<k> (reset, on the first request to that URL only),
//                                   drip:<ms>[:<bytes>|:n<count>] (a few bytes at a time, or n writes), badjson[:<k>] (a truncated JSON
//                                   event after the first k), huge:<MB>[:<k>] (one event of that size after k),
//                                   html:<status> (a proxy's HTML page, every request), status:<code>:<n>:<key>[:<secs>]
//                                   (the first n answers on key get that status, Retry-After secs if given),
//                                   redirect:<status>:<url> (Location: url + the rest of the path)
//   /ernie/<scenario>/<fixture>/<mode>/…  Baidu's token endpoint + chat: scenario ok | expire-once | error-json | bad-secret;
//                                   mode also `stall` (the first half, then silence)
//   /synth/<tokens>/<perSecond>/…   a synthetic OpenAI chat stream of Markdown (for Stop, benchmarks)
//   /cont/<perSecond>/…             a `length`-cut answer, then (asked with the partial) its continuation
//   /echo/<perSecond>/<times>/…     an OpenAI chat stream that answers with the request's selection (tells requests apart)
//   /bsynth/<tokens>/<perSecond>/<k>/…  the same with a marker «mN» every k tokens; GET /_marks: their write times
//   /msynth/<tokens>/<perSecond>/<k>/…  the same, markers «m<request>xN» apart for each request (several streams at once); GET /_marks?all
//   /demo/…                         a recorded answer, streamed at a readable pace (the start script's demo)
//   /hostile/<perSecond>/…          the test/fixtures/hostile payload the last user message names (its last word), in small pieces
//   GET /_log                       JSON: every request seen, with its body and whether the client hung up
//   POST|GET /_report, /_job        a mailbox for the bench probe's reports, and its job
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { hostilePayload, streamPieces } from './hostile';
import { demoAnswer, synthText, tokenize } from './synth';

export interface RecordedRequest {
  id: number;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The client closed the connection before the response was complete. */
  clientAborted: boolean;
  /** The response finished or the socket closed. */
  closed: boolean;
  /** When it closed (epoch ms, sub-ms precision): with an abort's time, how long Stop took to reach the server. */
  closedAt?: number;
  /** When the request arrived (epoch ms, sub-ms precision), for time-to-first-token figures. */
  receivedAt: number;
}

export interface FixtureServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Resolves once request `id` (or the latest request) has closed, one way or the other. */
  waitClosed(id?: number, timeoutMs?: number): Promise<RecordedRequest>;
}

export interface FixtureMeta {
  response?: { status?: number; headers?: Record<string, string> };
  replay?: { split_at_byte_offsets?: number[] };
  expected?: Record<string, unknown>;
  [k: string]: unknown;
}

/**
 * test/fixtures/providers (or ASKLLM_FIXTURES): the only place fixtures are read from, so a clone
 * passes on its own. scripts/refresh-fixtures.sh re-copies the team's recordings into it.
 * Found by walking up from this file, which runs both from test/support (ts) and dist/test/support (bundle).
 */
export function fixturesDir(): string {
  if (process.env.ASKLLM_FIXTURES) return process.env.ASKLLM_FIXTURES;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'test', 'fixtures', 'providers');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find test/fixtures/providers above ${__dirname} (set ASKLLM_FIXTURES)`);
}

export function loadFixture(name: string): { body: Buffer; meta: FixtureMeta } {
  const dir = fixturesDir();
  const base = name.replace(/\.(sse|json|ndjson)$/, '');
  const file = fs.readdirSync(dir).find((f) => f.startsWith(base + '.') && !f.endsWith('.expected.json'));
  if (!file) throw new Error(`no fixture ${name} in ${dir}`);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, base + '.expected.json'), 'utf8')) as FixtureMeta;
  return { body: fs.readFileSync(path.join(dir, file)), meta };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cut points for a replay mode (exported so tests can name what they replayed). */
export function splitPoints(length: number, mode: string, meta: FixtureMeta): number[] {
  if (mode === 'whole') return [];
  if (mode === 'bytes') return Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1);
  if (mode === 'offsets') return (meta.replay?.split_at_byte_offsets ?? []).filter((o) => o > 0 && o < length);
  const m = /^random-(\d+)$/.exec(mode);
  if (m) {
    const rnd = mulberry32(Number(m[1]));
    const cuts = new Set<number>();
    const count = 3 + Math.floor(rnd() * 20);
    for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(rnd() * (length - 1)));
    return [...cuts].sort((a, b) => a - b);
  }
  throw new Error(`unknown replay mode ${mode}`);
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function responseHeaders(meta: FixtureMeta): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta.response?.headers ?? {})) {
    if (!/^(content-encoding|transfer-encoding|content-length)$/i.test(k)) out[k] = v;
  }
  return out;
}

async function writePieces(res: http.ServerResponse, body: Buffer, cuts: number[]): Promise<void> {
  let prev = 0;
  for (const cut of [...cuts, body.length]) {
    if (res.destroyed) return;
    if (cut > prev) {
      res.write(body.subarray(prev, cut));
      // Yield to the event loop so each piece leaves as its own write.
      if (cuts.length) await tick();
    }
    prev = cut;
  }
}

export async function startFixtureServer(opts: { port?: number; host?: string } = {}): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const writeMarks = new Map<number, Record<string, number>>();
  const reports: unknown[] = [];
  let job: unknown = null;
  const flakyCounts = new Map<string, number>();
  const closeWaiters: Array<() => void> = [];
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const receivedAt = performance.timeOrigin + performance.now();
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        id: requests.length + 1, method: req.method ?? '', url: req.url ?? '', headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'), clientAborted: false, closed: false, receivedAt,
      };
      if (!rec.url.startsWith('/_')) requests.push(rec);
      const markClosed = () => {
        if (rec.closed) return;
        rec.closed = true;
        rec.closedAt = performance.timeOrigin + performance.now();
        if (!res.writableFinished) rec.clientAborted = true;
        closeWaiters.splice(0).forEach((w) => w());
      };
      res.on('close', markClosed);
      handle(rec, res).catch((err) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err?.stack ?? err));
      });
    });
  });

  async function replay(res: http.ServerResponse, fixture: string, mode: string, opts2: { upTo?: number } = {}) {
    const { body, meta } = loadFixture(fixture);
    const status = meta.response?.status ?? 200;
    res.writeHead(status, responseHeaders(meta));
    res.flushHeaders();
    const data = opts2.upTo !== undefined ? body.subarray(0, opts2.upTo) : body;
    await writePieces(res, data, splitPoints(data.length, mode, meta));
  }

  /** Headers and the first part of a fixture, cut at an event boundary so the client has real text. */
  async function firstHalf(res: http.ServerResponse, fixture: string) {
    const { body } = loadFixture(fixture);
    // Past the middle: some streams (the Responses API's) spend their first half on bookkeeping.
    const from = Math.floor(body.length * 0.6);
    const boundary = (fixture.endsWith('.ndjson') ? /\n/ : /\r?\n\r?\n/).exec(body.subarray(from).toString('latin1'));
    await replay(res, fixture, 'whole', { upTo: boundary ? from + boundary.index + boundary[0].length : from });
  }

  async function handle(rec: RecordedRequest, res: http.ServerResponse): Promise<void> {
    const parts = rec.url.split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
    const route = parts[0];
    if (rec.url === '/_job') {
      // The bench's job slot: POST sets it, GET reads it (the probe applies it inside VS Code).
      if (rec.method === 'POST') job = JSON.parse(rec.body || 'null');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(rec.method === 'POST' ? {} : job));
      return;
    }
    if (rec.url === '/_report') {
      // A mailbox for the bench probe: POST stores a report, GET takes the ones stored.
      res.writeHead(200, { 'content-type': 'application/json' });
      if (rec.method === 'POST') reports.push(JSON.parse(rec.body || 'null'));
      res.end(rec.method === 'POST' ? '{}' : JSON.stringify(reports.splice(0)));
      return;
    }
    if (rec.url.startsWith('/_marks')) {
      // Marker write times of the latest bench stream (or ?id=N).
      const query = new URL(rec.url, 'http://x').searchParams;
      const id = Number(query.get('id') ?? [...writeMarks.keys()].pop());
      res.writeHead(200, { 'content-type': 'application/json' });
      // ?all: every stream's, merged (the keys of msynth streams are apart).
      res.end(JSON.stringify(query.has('all') ? Object.assign({}, ...writeMarks.values()) : writeMarks.get(id) ?? {}));
      return;
    }
    if (rec.url === '/_log') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(requests));
      return;
    }
    if (route === 'fx') {
      // The spec is split before decoding, so an encoded URL in it keeps its colons.
      const spec = (/^\/fx\/([^/?]*)/.exec(rec.url)?.[1] ?? '').split(':').map(decodeURIComponent);
      await fx(rec, res, spec, rec.url.replace(/^\/fx\/[^/?]*/, '') || '/');
      return;
    }
    if (route === 'replay') {
      await replay(res, parts[1], parts[2] ?? 'whole');
      res.end();
      return;
    }
    if (route === 'fault') {
      const kind = parts[1];
      if (kind === 'stall' || kind === 'reset') {
        await firstHalf(res, parts[2]);
        if (kind === 'reset') res.socket?.destroy();
        return; // stall: the response stays open until the client leaves (or the server closes)
      }
      if (kind === 'slow-headers') {
        await sleep(Number(parts[2]));
        if (res.destroyed) return;
        await replay(res, parts[3], 'whole');
        res.end();
        return;
      }
      if (kind === 'html') {
        res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n');
        return;
      }
      if (kind === 'html200') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>\n');
        return;
      }
      if (kind === 'flaky') {
        const n = Number(parts[2]);
        const key = parts.slice(0, 4).join('/');
        const seen = flakyCounts.get(key) ?? 0;
        flakyCounts.set(key, seen + 1);
        if (seen < n) {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
          res.end(JSON.stringify({ error: { message: 'Rate limit reached (test server)', type: 'requests', code: 'rate_limit_exceeded' } }));
          return;
        }
        await replay(res, parts[3], 'whole');
        res.end();
        return;
      }
      res.writeHead(404).end();
      return;
    }
    if (route === 'ernie') {
      await ernie(rec, res, parts[1], parts[2], parts[3] ?? 'whole');
      return;
    }
    if (route === 'cont') {
      // Continue: the first request gets the first 60% of CONTINUED_ANSWER and a `length` stop; a
      // request that carries a partial answer (the last assistant message) gets the rest, starting
      // with the partial's last word again, as models often do at the seam.
      const msgs = (JSON.parse(rec.body || '{}') as { messages?: Array<{ role: string; content: string }> }).messages ?? [];
      const partial = [...msgs].reverse().find((m) => m.role === 'assistant')?.content;
      const cut = Math.floor(CONTINUED_ANSWER.length * 0.6);
      const text = partial === undefined ? CONTINUED_ANSWER.slice(0, cut) : CONTINUED_ANSWER.slice(partial.lastIndexOf(' ') + 1);
      await streamOpenAiChunks(res, tokenize(text), Number(parts[1]), rec.body, undefined, partial === undefined ? 'length' : 'stop');
      return;
    }
    if (route === 'echo') {
      // An answer made from the request: «rewritten:» + the last fenced block of the last user
      // message (or the whole message), `times` over with spaces between, so a test can tell which
      // request it answers.
      const msg = lastUserMessage(rec.body);
      const fenced = /```[^\n]*\n([\s\S]*)\n```\s*$/.exec(msg)?.[1] ?? msg;
      const text = Array(Number(parts[2] ?? 1)).fill(`«rewritten:${fenced}»`).join(' ');
      await streamOpenAiChunks(res, tokenize(text), Number(parts[1]), rec.body);
      return;
    }
    if (route === 'hostile') {
      // A hostile answer from the corpus, split so that every tag and link arrives in pieces.
      const name = lastUserMessage(rec.body).trim().split(/\s+/).pop() ?? '';
      const payload = hostilePayload(name);
      if (!payload) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no hostile payload ${name}`, type: 'invalid_request_error', code: 'not_found' } }));
        return;
      }
      await streamOpenAiChunks(res, streamPieces(payload.text, 1), Number(parts[1]), rec.body);
      return;
    }
    if (route === 'say') {
      // The answer is whatever the last user message has after "say:" (fences, indentation, prose…).
      const msg = lastUserMessage(rec.body);
      await streamOpenAiChunks(res, tokenize(msg.slice(msg.indexOf('say:') + 4)), Number(parts[1]), rec.body);
      return;
    }
    if (route === 'synth' || route === 'demo') {
      const text = route === 'synth' ? synthText(Number(parts[1])) : demoAnswer(lastUserMessage(rec.body));
      const perSecond = route === 'synth' ? Number(parts[2]) : 60;
      await streamOpenAiChunks(res, tokenize(text), perSecond, rec.body);
      return;
    }
    if (route === 'bsynth' || route === 'msynth') {
      // Benchmark stream: every k-th token carries a marker «mN» (msynth: «m<request id>xN»); its write time is recorded.
      const k = Number(parts[3]);
      const all = tokenize(synthText(Number(parts[1])));
      const tag = route === 'msynth' ? `${rec.id}x` : '';
      const pieces = all.map((t, i) => (i % k === 0 || i === all.length - 1 ? `«m${tag}${i}»${t}` : t));
      const marks: Record<string, number> = {};
      writeMarks.set(rec.id, marks);
      await streamOpenAiChunks(res, pieces, Number(parts[2]), rec.body, (sent) => {
        const t = performance.timeOrigin + performance.now();
        for (const p of sent) for (const m of p.matchAll(/«m(\d+(?:x\d+)?)»/g)) marks[m[1]] = t;
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${rec.url}`, type: 'invalid_request_error', code: 'not_found' } }));
  }

  /** Baidu's OAuth token endpoint and the wenxinworkshop chat endpoint, with scenarios for auth failures. */
  const ernieTokens = new Map<string, number>();
  async function ernie(rec: RecordedRequest, res: http.ServerResponse, scenario: string, fixture: string, mode: string) {
    const url = new URL(rec.url, 'http://x');
    const key = `${scenario}/${fixture}`;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.endsWith('/oauth/2.0/token')) {
      if (scenario === 'bad-secret' || !url.searchParams.get('client_secret')?.startsWith('ernie-secret')) {
        return json(401, { error: 'invalid_client', error_description: 'unknown client id' });
      }
      const n = (ernieTokens.get(key) ?? 0) + 1;
      ernieTokens.set(key, n);
      return json(200, { access_token: `24.tok-${n}`, expires_in: 2592000, scope: 'public' });
    }
    const token = url.searchParams.get('access_token') ?? '';
    if (!/^24\.tok-\d+$/.test(token)) return json(200, { error_code: 110, error_msg: 'Access token invalid or no longer valid' });
    if (scenario === 'expire-once' && token === '24.tok-1') return json(200, { error_code: 111, error_msg: 'Access token expired' });
    if (scenario === 'error-json') return json(200, { error_code: 336003, error_msg: 'the first message must be from the user' });
    if (mode === 'stall') return firstHalf(res, fixture); // and silence until the client leaves
    await replay(res, fixture, mode);
    res.end();
  }

  /**
   * A fault around another route's answer. The inner route writes into a recorder (fixtures are
   * small), then the recorded answer goes out with the fault; ERNIE's token request passes untouched
   * (except through `html`: a broken proxy breaks every request).
   */
  const statusCounts = new Map<string, number>();
  async function fx(rec: RecordedRequest, res: http.ServerResponse, spec: string[], innerUrl: string): Promise<void> {
    const inner: RecordedRequest = { ...rec, url: innerUrl };
    const [fault, a, b, c, d] = spec;
    if (fault === 'html') {
      res.writeHead(Number(a || 502), { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html><head><title>${a || 502} Bad Gateway</title></head><body><h1>${a || 502} Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p><hr><address>squid</address></body></html>\n`);
      return;
    }
    if (innerUrl.includes('/oauth/2.0/token')) return handle(inner, res);
    if (fault === 'silent') return; // the socket stays open, headers never come, until the client leaves
    if (fault === 'redirect') {
      res.writeHead(Number(a), { location: b + innerUrl, 'content-type': 'text/plain' });
      res.end('moved');
      return;
    }
    if (fault === 'status') {
      const key = spec.join(':');
      const seen = statusCounts.get(key) ?? 0;
      statusCounts.set(key, seen + 1);
      if (seen < Number(b)) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (d !== undefined) headers['retry-after'] = d;
        res.writeHead(Number(a), headers);
        res.end(JSON.stringify({ error: { message: `HTTP ${a} from the test server (${c})`, type: Number(a) === 429 ? 'rate_limit_error' : 'server_error' } }));
        return;
      }
      return handle(inner, res);
    }
    if (fault === 'resetonce') {
      // The first request on this URL is reset after `a` events; the next ones (a Continue) are whole.
      const key = `${spec.join(':')} ${innerUrl}`;
      const seen = statusCounts.get(key) ?? 0;
      statusCounts.set(key, seen + 1);
      if (seen > 0) return handle(inner, res);
    }
    const got = await record((r) => handle(inner, r));
    const ndjson = /ndjson/i.test(String(got.headers['content-type'] ?? '')) || got.body[0] === 0x7b;
    const eol = /\r\n\r\n/.test(got.body.toString('latin1')) ? '\r\n' : '\n';
    // The first part is the first `events` events (a number the test picks so that some text comes
    // before the fault and some after it), else half of them.
    const boundaries = [...got.body.toString('latin1').matchAll(ndjson ? /\n/g : /\r?\n\r?\n/g)].map((m) => m.index + m[0].length);
    const events = Number((fault === 'huge' ? b : a) || Math.floor(boundaries.length / 2));
    const cut = boundaries[Math.min(boundaries.length, Math.max(1, events)) - 1] ?? Math.floor(got.body.length / 2);
    res.writeHead(got.status, got.headers);
    res.flushHeaders();
    if (fault === 'quiet') return;
    if (fault === 'drip') {
      const ms = Number(a || 0);
      // <bytes> a write, or "nN": the body in N writes, whatever its size.
      const step = Math.max(1, b?.startsWith('n') ? Math.ceil(got.body.length / Number(b.slice(1))) : Number(b || 1));
      for (let i = 0; i < got.body.length && !res.destroyed; i += step) {
        res.write(got.body.subarray(i, i + step));
        await (ms > 0 ? sleep(ms) : tick());
      }
      if (!res.destroyed) res.end();
      return;
    }
    res.write(got.body.subarray(0, cut));
    if (fault === 'stall') return;
    if (fault === 'cut') return void res.end();
    if (fault === 'reset' || fault === 'resetonce') {
      // Let the first part reach the client before the socket goes (a destroy discards unsent bytes).
      await new Promise<void>((r) => res.write('', () => r()));
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (fault === 'badjson') {
      res.write(ndjson ? '{"message": {"role": "assistant", "content": "this line was cu\n' : `data: {"type": "content_block_delta", "choices": [{"delta": {"content": "this event was cu${eol}${eol}`);
    } else if (fault === 'huge') {
      if (!(await writeHuge(res, Number(a) * 1024 * 1024, ndjson, eol))) return;
    } else {
      throw new Error(`unknown fault ${fault}`);
    }
    res.end(got.body.subarray(cut));
  }

  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${addr.port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
    waitClosed(id?: number, timeoutMs = 5000) {
      return new Promise<RecordedRequest>((resolve, reject) => {
        const find = () => (id === undefined ? requests[requests.length - 1] : requests.find((r) => r.id === id));
        const timer = setTimeout(() => reject(new Error(`request ${id ?? 'latest'} did not close within ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          const r = find();
          if (r?.closed) { clearTimeout(timer); resolve(r); } else closeWaiters.push(check);
        };
        check();
      });
    },
  };
}

interface Recorded { status: number; headers: http.OutgoingHttpHeaders; body: Buffer }

/** Runs a route's handler against a stand-in response and returns what it wrote (whole-body routes only). */
function record(run: (res: http.ServerResponse) => Promise<void>): Promise<Recorded> {
  return new Promise<Recorded>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 200;
    let headers: http.OutgoingHttpHeaders = {};
    const fake = {
      destroyed: false,
      headersSent: false,
      socket: null,
      writeHead(s: number, h?: http.OutgoingHttpHeaders) { status = s; headers = { ...h }; fake.headersSent = true; return fake; },
      setHeader(k: string, v: string) { headers[k] = v; },
      flushHeaders() { /* nothing to flush */ },
      write(chunk: string | Buffer) { chunks.push(Buffer.from(chunk)); return true; },
      end(chunk?: string | Buffer) { if (chunk) chunks.push(Buffer.from(chunk)); resolve({ status, headers, body: Buffer.concat(chunks) }); return fake; },
      on() { return fake; },
    };
    run(fake as unknown as http.ServerResponse).catch(reject);
  });
}

/**
 * One event of `bytes` bytes (`data: {"filler": "aaa…"}` or an NDJSON line), written 64 KB at a time
 * as the client reads it, so the server itself stays small. False when the client left first.
 */
async function writeHuge(res: http.ServerResponse, bytes: number, ndjson: boolean, eol: string): Promise<boolean> {
  const piece = Buffer.alloc(64 * 1024, 'a');
  res.write(ndjson ? '{"filler": "' : 'data: {"filler": "');
  for (let sent = 0; sent < bytes; sent += piece.length) {
    if (res.destroyed) return false;
    if (!res.write(piece)) {
      await new Promise<void>((r) => {
        const done = () => { res.off('drain', done); res.off('close', done); r(); };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (res.destroyed) return false;
  res.write(ndjson ? '"}\n' : `"}${eol}${eol}`);
  return true;
}

/** The whole answer the /cont route gives in two parts. */
export const CONTINUED_ANSWER = 'Streaming lets the first words arrive while the model is still writing the rest. 流式输出让用户更早看到答案 🚀. When a network drops or a token limit cuts the answer, Continue carries on from the very next character, so nothing is asked twice.';

function lastUserMessage(body: string): string {
  try {
    const msgs = (JSON.parse(body) as { messages?: Array<{ role: string; content: unknown }> }).messages ?? [];
    const last = [...msgs].reverse().find((m) => m.role === 'user');
    return typeof last?.content === 'string' ? last.content : '';
  } catch {
    return '';
  }
}

/** Streams `pieces` as OpenAI chat chunks at `perSecond`, batching per ~4 ms timer tick at high rates. */
async function streamOpenAiChunks(res: http.ServerResponse, pieces: string[], perSecond: number, reqBody: string, onWrite?: (sent: string[]) => void, finishReason = 'stop') {
  let includeUsage = false;
  let model = 'synth';
  let stream = true;
  try {
    const b = JSON.parse(reqBody) as { stream_options?: { include_usage?: boolean }; model?: string; stream?: boolean };
    includeUsage = !!b.stream_options?.include_usage;
    model = b.model ?? model;
    stream = b.stream !== false;
  } catch { /* not JSON: defaults */ }
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: 'chatcmpl-synth', object: 'chat.completion', created: 0, model,
      choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: pieces.length, total_tokens: pieces.length + 10 },
    }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-synth', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  const start = Date.now();
  let sent = 0;
  while (sent < pieces.length) {
    if (res.destroyed) return;
    const due = Math.min(pieces.length, Math.floor(((Date.now() - start) / 1000) * perSecond) + 1);
    let out = '';
    const from = sent;
    for (; sent < due; sent++) out += chunk({ content: pieces[sent] }, null);
    if (out) {
      res.write(out);
      onWrite?.(pieces.slice(from, sent));
    }
    const next = start + (sent / perSecond) * 1000;
    await sleep(Math.max(0, Math.min(1000, next - Date.now())));
  }
  res.write(chunk({}, finishReason));
  if (includeUsage) {
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-synth', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { prompt_tokens: 10, completion_tokens: pieces.length, total_tokens: pieces.length + 10 } })}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}
