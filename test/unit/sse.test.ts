import { strict as assert } from 'node:assert';
import { cleanSseStream, SseParser, type SseEvent } from '../../src/core/sse';
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
});
