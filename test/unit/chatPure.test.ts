// The chat's pure parts: where a growing Markdown answer may be cut into finished blocks, the
// host <-> webview message guards, and the conversation store.
import { strict as assert } from 'node:assert';
import { ChatHistory } from '../../src/host/history';
import { canContinue, isHostMessage, isWebviewMessage, type UiMessage } from '../../src/shared/protocol';
import { scanBlocks } from '../../src/webview/blocks';
import { synthText } from '../support/synth';
import { memento } from '../support/memento';

/** Whether `offset` falls inside a fenced code block of `text` (an independent, line-by-line count). */
function insideFence(text: string, offset: number): boolean {
  let fence: string | undefined;
  for (const line of text.slice(0, offset).split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    if (!fence) fence = m[1];
    else if (m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = undefined;
  }
  return fence !== undefined;
}

/** Feeds `text` in pieces and checks the cut only moves forward and never lands in a fence. */
function feed(text: string, sizes: () => number): number[] {
  const cuts: number[] = [];
  let stable = 0;
  for (let end = 0; end < text.length;) {
    end = Math.min(text.length, end + sizes());
    const next = scanBlocks(text.slice(0, end), stable).stable;
    assert.ok(next >= stable, 'the stable prefix never shrinks');
    stable = next;
    cuts.push(stable);
  }
  return cuts;
}

describe('scanBlocks (incremental Markdown)', () => {
  it('cuts after a blank line once the next block has begun', () => {
    assert.equal(scanBlocks('para one\n\npara two').stable, 'para one\n\n'.length);
    assert.equal(scanBlocks('para one\n\n').stable, 0, 'nothing after the blank line yet');
    assert.equal(scanBlocks('para one\npara one continued').stable, 0);
  });

  it('never cuts inside a fenced code block, even at blank lines (``` and ~~~)', () => {
    const text = '```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nafter';
    assert.equal(scanBlocks(text).stable, text.indexOf('after'));
    const tilde = '~~~\nx\n\ny\n~~~\n\nz';
    assert.equal(scanBlocks(tilde).stable, tilde.indexOf('z'));
    const longer = '````\n```\n\ninner\n````\n\nz';
    assert.equal(scanBlocks(longer).stable, longer.indexOf('z'), 'a shorter fence does not close a longer one');
  });

  it('keeps an unterminated fence at the tail open', () => {
    const text = 'intro\n\n```py\nprint(1)\n\nprint(2)\n';
    assert.equal(scanBlocks(text).stable, 'intro\n\n'.length);
  });

  it('does not cut before an indented line (it may continue a list item)', () => {
    assert.equal(scanBlocks('1. item\n\n   more of item one').stable, 0);
    assert.equal(scanBlocks('1. item\n\n2. next').stable, '1. item\n\n'.length);
  });

  it('finished blocks never change as more text arrives, in any chunking', () => {
    // A fence with blank lines inside, where a careless scanner would cut.
    const text = synthText(1500) + '\n\n```py\nx = 1\n\n\ny = 2\n```\n\nAfter the code.\n\n' + synthText(1500);
    const whole = scanBlocks(text).stable;
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 40) + 1;
    const cuts = feed(text, rnd);
    assert.ok(cuts[cuts.length - 1] <= whole);
    for (const c of new Set(cuts)) {
      // Every cut is a block boundary of the whole text: the whole text, scanned from that cut,
      // still finds the same end of its finished blocks (the blocks before it never change).
      assert.ok(c === 0 || text.slice(c - 2, c) === '\n\n', `cut at ${c} follows a blank line`);
      assert.equal(scanBlocks(text, c).stable, whole, `resuming at ${c} agrees with one scan of the whole`);
      assert.ok(!insideFence(text, c), `cut at ${c} is not inside a code fence`);
    }
  });
});

describe('protocol guards', () => {
  it('accept well-formed messages and reject the rest', () => {
    assert.ok(isWebviewMessage({ type: 'send', text: 'hi' }));
    assert.ok(isWebviewMessage({ type: 'stop' }));
    assert.ok(!isWebviewMessage({ type: 'send' }));
    assert.ok(!isWebviewMessage({ type: 'evil', text: 'x' }));
    assert.ok(!isWebviewMessage('send'));
    assert.ok(isHostMessage({ type: 'delta', id: 'a', text: 'x' }));
    assert.ok(isHostMessage({ type: 'snapshot', messages: [], streaming: false }));
    assert.ok(!isHostMessage({ type: 'snapshot', messages: 'no', streaming: false }));
    assert.ok(!isHostMessage(null));
  });
});

describe('ChatHistory', () => {
  /** An in-memory Memento: the store is only a key-value map. */
  const msg = (id: string, role: 'user' | 'assistant', text: string, status: UiMessage['status'] = 'done'): UiMessage => ({ id, role, text, status });

  it('round-trips the conversation; an answer that was streaming comes back interrupted with its text, and is stored so', async () => {
    const { m, map } = memento();
    const h = new ChatHistory(m);
    const list = [msg('1', 'user', 'q'), msg('2', 'assistant', 'partial', 'streaming')];
    await h.save(list);
    const back = { ...list[1], status: 'cancelled', finishReason: 'interrupted' };
    assert.deepEqual(new ChatHistory(m).load(), [list[0], back]);
    assert.deepEqual(map.get('askLlm.chat.v2/2'), back, 'written back as interrupted');
    assert.ok(canContinue(back as UiMessage), 'Continue carries it on');
  });

  it('while streaming writes only the growing answer; removed messages lose their keys; junk is ignored', async () => {
    const { m, map, writes } = memento();
    const h = new ChatHistory(m, 20);
    const a = msg('a', 'user', 'q');
    const b = msg('b', 'assistant', '', 'streaming');
    await h.save([a, b]);
    writes.length = 0;
    b.text = 'gr';
    h.saveSoon(b);
    b.text = 'grown';
    h.saveSoon(b);
    assert.deepEqual(writes, [], 'nothing written at once');
    while (!writes.length) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(writes, ['askLlm.chat.v2/b'], 'one write of the answer alone, with its latest text');
    assert.equal((map.get('askLlm.chat.v2/b') as UiMessage).text, 'grown');
    await h.save([], []);
    assert.deepEqual([...map.keys()].filter((k) => k.startsWith('askLlm.chat.v2/')), [], 'no message keys left');
    map.set(`askLlm.chats.v3/${h.activeId}`, ['x', 42]);
    map.set('askLlm.chat.v2/x', { nonsense: true });
    assert.deepEqual(new ChatHistory(m).load(), []);
  });
});
