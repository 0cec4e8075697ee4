import { strict as assert } from 'node:assert';
import { cleanSseBody, cleanSseStream, SseParser, type SseEvent } from '../../src/core/sse';
import { loadFixture, splitPoints } from '../support/fixtureServer';

function parseIn(body: Buffer, cuts: number[], flushAtEof = false): SseEvent[] {
  const p = new SseParser({ flushAtEof });
  const out: SseEvent[] = [];
  let prev = 0;
  for (const c of [...cuts, body.length]) {
    out.push(...p.push(body.subarray(prev, c)));
    prev = c;
  }
  return [...out, ...p.end()];
}

/** Cuts every `step` bytes, plus any `extra` cuts. */
function cutsEvery(length: number, step: number, extra: number[] = []): number[] {
  const cuts = new Set(extra.filter((c) => c > 0 && c < length));
  for (let c = step; c < length; c += step) cuts.add(c);
  return [...cuts].sort((a, b) => a - b);
}

/** Equality for long strings that reports where they first differ instead of printing both. */
function assertSameText(actual: string, expected: string): void {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  assert.fail(`texts differ at ${i} (lengths ${actual.length} / ${expected.length}): ` +
    `${JSON.stringify(actual.slice(i, i + 20))} vs ${JSON.stringify(expected.slice(i, i + 20))}`);
}

/** `n` characters of printable ASCII (colons and spaces included) that do not repeat with a short period. */
function asciiText(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(String.fromCharCode(32 + ((i * 7919 + (i >> 10)) % 95)));
  return parts.join('');
}

describe('SSE parser', () => {
  for (const name of ['sse-edge-crlf.sse', 'sse-edge-keepalive-variants.sse', 'sse-edge-no-trailing-blank.sse', 'sse-edge-split-utf8.sse']) {
    const { body, meta } = loadFixture(name);
    const expected = (meta.expected as { sse_events: Array<{ type: string; data: string; lastEventId: string }> }).sse_events;
    for (const mode of ['whole', 'bytes', 'random-11', 'random-12', 'offsets']) {
      it(`${name} (${mode}) gives the spec's events`, () => {
        const got = parseIn(body, splitPoints(body.length, mode, meta));
        assert.deepEqual(got.map((e) => ({ type: e.event, data: e.data, lastEventId: e.id })), expected);
      });
    }
  }

  it('reads retry only when it is all digits', () => {
    const p = new SseParser();
    p.push('retry: 1.5s\n\nretry: 3000\n\n');
    assert.equal(p.retryMs, 3000);
  });

  it('strips one leading BOM, keeps one space of data:  x, splits a CR|LF pair across chunks', () => {
    const got = parseIn(Buffer.from('\uFEFFdata:  x\r\n\r\ndata: y\r\n\r\n'), [9, 10, 11]);
    assert.deepEqual(got.map((e) => e.data), [' x', 'y']);
  });

  it('joins multi-line data with \\n and treats a bare "data" line as an empty line', () => {
    const got = parseIn(Buffer.from('data: a\ndata\ndata: b\n\n'), []);
    assert.deepEqual(got.map((e) => e.data), ['a\n\nb']);
  });

  it('keeps U+2028 inside data (not a line end)', () => {
    const got = parseIn(Buffer.from('data: a\u2028b\n\n'), []);
    assert.equal(got[0].data, 'a\u2028b');
  });

  it('discards an unterminated last event at EOF unless asked to flush it', () => {
    const body = Buffer.from('data: 1\n\nevent: error\ndata: {"code":"X"}');
    assert.deepEqual(parseIn(body, []).map((e) => e.data), ['1']);
    assert.deepEqual(parseIn(body, [], true).map((e) => [e.event, e.data]), [['message', '1'], ['error', '{"code":"X"}']]);
  });

  it('dispatches a named event with no data line only when asked (sse-starlette\'s {"event": "end"})', () => {
    const body = 'id: 1\r\ndata: a\r\n\r\nid: 2\r\nevent: end\r\n\r\nid: 3\r\n\r\n';
    assert.deepEqual(parseIn(Buffer.from(body), []).map((e) => [e.event, e.data]), [['message', 'a']]);
    const p = new SseParser({ namedWithoutData: true });
    const got = [...p.push(body), ...p.end()];
    assert.deepEqual(got.map((e) => [e.event, e.data, e.id]), [['message', 'a', '1'], ['end', '', '2']]);
  });

  it('reports comments (keep-alives, DashScope status lines)', () => {
    const seen: string[] = [];
    new SseParser({ onComment: (c) => seen.push(c) }).push(':HTTP_STATUS/200\n: keep-alive\n\n');
    assert.deepEqual(seen, ['HTTP_STATUS/200', ' keep-alive']);
  });

  it('cleanSseStream drops empty and keep-alive payloads and re-frames the rest', async () => {
    const { body } = loadFixture('sse-edge-keepalive-variants.sse');
    const out = await new Response(new Blob([new Uint8Array(body)]).stream().pipeThrough(cleanSseStream())).text();
    const events = parseIn(Buffer.from(out), []);
    assert.ok(events.every((e) => e.data.trim() !== '' && !e.data.startsWith(':')));
    assert.equal(events[events.length - 1].data, '[DONE]');
  });

  it('cleanSseBody hands the SDK one chunk per event, however many events one read holds', async () => {
    // The openai SDK copies its buffer at every event of a chunk: 400 events in one chunk cost it
    // 400 copies of the whole chunk. One event a chunk keeps that linear.
    const events = Array.from({ length: 400 }, (_, i) => `data: {"choices":[{"index":0,"delta":{"content":"t${i} "}}]}\n\n`);
    const body = new Blob([events.join('') + 'data: [DONE]\n\n']).stream();
    const chunks: string[] = [];
    for await (const chunk of cleanSseBody(body) as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk).toString());
    assert.equal(chunks.length, 401);
    assert.equal(chunks.join(''), events.join('') + 'data: [DONE]\n\n');
  });

  describe('a long line fed in small pieces', () => {
    it('a 300 KB data line in 1-byte chunks gives exactly one event with the exact data', () => {
      const payload = asciiText(300 * 1024);
      const body = Buffer.from(`data: ${payload}\n\n`);
      const got = parseIn(body, cutsEvery(body.length, 1));
      assert.equal(got.length, 1);
      assert.equal(got[0].event, 'message');
      assertSameText(got[0].data, payload);
    });

    it('a CRLF split exactly between two chunks after a long line is one line end, not a blank line', () => {
      const a = asciiText(100_000);
      const b = asciiText(70_001).split('').reverse().join('');
      const text = `id: 7\r\ndata: ${a}\r\ndata: ${b}\r\n\r\ndata: z\r\n\r\n`;
      const body = Buffer.from(text);
      // Cut between each CR and its LF (the one after the long line above all) and every 4 KB besides.
      const crlfCuts = [...text.matchAll(/\r\n/g)].map((m) => Buffer.byteLength(text.slice(0, m.index! + 1)));
      for (const step of [4096, 997, 1]) {
        const got = parseIn(body, cutsEvery(body.length, step, crlfCuts));
        assert.equal(got.length, 2, `chunks of ${step}`);
        assertSameText(got[0].data, `${a}\n${b}`);
        assert.deepEqual([got[0].id, got[1].data, got[1].id], ['7', 'z', '7']);
      }
    });

    it('a bare CR that ends a chunk after a long line still ends the line when no LF follows', () => {
      const a = asciiText(50_000);
      const text = `data: ${a}\rdata: b\r\r`;
      const body = Buffer.from(text);
      const got = parseIn(body, cutsEvery(body.length, 1000, [text.indexOf('\r') + 1]));
      assert.equal(got.length, 1);
      assertSameText(got[0].data, `${a}\nb`);
    });

    it('multi-byte UTF-8 characters split across chunks inside a long line decode intact', () => {
      // 3-byte (中, ✨), 4-byte (🌏, a surrogate pair) and 2-byte (é) characters; a leading BOM too.
      const unit = '中文🌏abé✨:';
      const payload = unit.repeat(Math.ceil(100_000 / Buffer.byteLength(unit)));
      const body = Buffer.from(`\uFEFFdata: ${payload}\n\n`);
      for (const step of [1, 2, 3, 5, 7, 4093]) {
        const got = parseIn(body, cutsEvery(body.length, step));
        assert.equal(got.length, 1, `chunks of ${step}`);
        assert.ok(!got[0].data.includes('\uFFFD'), `chunks of ${step}: a character was broken`);
        assertSameText(got[0].data, payload);
      }
    });

    it('an unterminated long line at end of file is processed by end(), and flushed only if asked', () => {
      const payload = asciiText(20_000);
      const body = Buffer.from(`data: 1\n\nevent: error\ndata: ${payload}`);
      const cuts = cutsEvery(body.length, 3);
      assert.deepEqual(parseIn(body, cuts).map((e) => e.data), ['1']);
      const flushed = parseIn(body, cuts, true);
      assert.deepEqual(flushed.map((e) => e.event), ['message', 'error']);
      assertSameText(flushed[1].data, payload);
    });

    it('comments and ids around a long line are still seen, in order', () => {
      const payload = asciiText(30_000);
      const body = Buffer.from(`: before\nid: 42\nid: a\0b\ndata: ${payload}\n: ${payload}\nretry: 15\n\n`);
      const seen: string[] = [];
      const p = new SseParser({ onComment: (c) => seen.push(c) });
      const got: SseEvent[] = [];
      for (let i = 0; i < body.length; i += 2) got.push(...p.push(body.subarray(i, i + 2)));
      got.push(...p.end());
      assert.equal(got.length, 1);
      assert.equal(got[0].id, '42');
      assertSameText(got[0].data, payload);
      assert.equal(seen.length, 2);
      assert.equal(seen[0], ' before');
      assertSameText(seen[1], ` ${payload}`);
      assert.equal(p.retryMs, 15);
    });
  });
});
