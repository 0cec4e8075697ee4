// The chat's file store: values round-trip through files, a new store (a reloaded window) reads
// them back, deleting removes the file, a burst of updates is written once after the task, the window's
// going away writes at once, and workspaceState of earlier versions moves in once.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileStore } from '../../src/host/fileStore';
import { ChatHistory } from '../../src/host/history';
import type { UiMessage } from '../../src/shared/protocol';
import { memento } from '../support/memento';

const made: string[] = [];
const tmp = () => {
  made.push(fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-store-')));
  return path.join(made[made.length - 1], 'chats');
};
const msg = (id: string, role: 'user' | 'assistant', text: string): UiMessage => ({ id, role, text, status: 'done' });

describe('FileStore (the chat history on disk)', () => {
  after(async () => {
    await new Promise((r) => setTimeout(r, 10)); // writes still queued after the task
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps values in files that a new store reads back; undefined deletes; keys with slashes and CJK work', async () => {
    const dir = tmp();
    const a = new FileStore(dir);
    await a.update('askLlm.chat.v2/m1', { text: '流式输出 ✨', n: 1 });
    await a.update('askLlm.chats.v3', { activeId: 'c1', chats: [] });
    assert.deepEqual(a.get('askLlm.chat.v2/m1'), { text: '流式输出 ✨', n: 1 });
    assert.equal(fs.readdirSync(dir).length, 2, 'one file per key');
    const b = new FileStore(dir);
    assert.deepEqual(b.get('askLlm.chat.v2/m1'), { text: '流式输出 ✨', n: 1 });
    assert.equal(b.get('missing'), undefined);
    await b.update('askLlm.chat.v2/m1', undefined);
    assert.equal(b.get('askLlm.chat.v2/m1'), undefined);
    assert.deepEqual(fs.readdirSync(dir).map(decodeURIComponent), ['askLlm.chats.v3.json']);
  });

  it('a get sees an update at once; a burst of updates is written after the task, with the last value', async () => {
    const dir = tmp();
    const s = new FileStore(dir);
    const done = [1, 2, 3].map((n) => s.update('k', { n }));
    assert.deepEqual(s.get('k'), { n: 3 });
    assert.equal(fs.existsSync(dir), false, 'nothing written inside the task that updated');
    await Promise.all(done);
    assert.deepEqual(fs.readdirSync(dir), ['k.json'], 'one file, no temporary left');
    assert.deepEqual(new FileStore(dir).get('k'), { n: 3 });
  });

  it('flushSync writes what is pending before the task ends (the window going away)', () => {
    const dir = tmp();
    const s = new FileStore(dir);
    void s.update('k', { partial: 'so far' });
    s.flushSync();
    assert.deepEqual(new FileStore(dir).get('k'), { partial: 'so far' });
  });

  it('a write under way when flushSync writes a newer value does not replace it', async () => {
    const dir = tmp();
    const s = new FileStore(dir);
    const first = s.update('k', { n: 1 });
    await new Promise((r) => setTimeout(r, 0)); // the write of n: 1 has started, off the thread
    void s.update('k', { n: 2 });
    s.flushSync();
    await first;
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(new FileStore(dir).get('k'), { n: 2 });
    assert.deepEqual(fs.readdirSync(dir), ['k.json'], 'no temporary left');
  });

  it('a file that is not JSON is reported and read as missing, not thrown', async () => {
    const dir = tmp();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${encodeURIComponent('k')}.json`), '{"cut');
    const errors: string[] = [];
    assert.equal(new FileStore(dir, (m) => errors.push(m)).get('k'), undefined);
    assert.match(errors[0], /not JSON/);
  });

  it('adopts the chat keys of workspaceState once (and removes them there), leaving other keys', async () => {
    const { m, map } = memento();
    await m.update('askLlm.chats.v3', { activeId: 'c1', chats: [{ id: 'c1', title: 'Hi', updatedAt: 1, count: 1 }] });
    await m.update('askLlm.chat.v2/q1', msg('q1', 'user', 'Hi'));
    await m.update('other.key', 1);
    const dir = tmp();
    assert.equal(new FileStore(dir).adopt(m, (k) => k.startsWith('askLlm.chat')), 2);
    assert.deepEqual([...map.keys()], ['other.key']);
    assert.deepEqual(new FileStore(dir).get('askLlm.chat.v2/q1'), msg('q1', 'user', 'Hi'));
    await m.update('askLlm.chat.v2/q2', msg('q2', 'user', 'later'));
    assert.equal(new FileStore(dir).adopt(m, (k) => k.startsWith('askLlm.chat')), 0, 'only the first time');
  });

  it('ChatHistory over it: a conversation saved, and the streaming answer saved on dispose, come back in a new window', async () => {
    const dir = tmp();
    const s = new FileStore(dir);
    const h = new ChatHistory(s);
    const q = msg('q', 'user', 'Why?');
    const a: UiMessage = { ...msg('a', 'assistant', ''), status: 'streaming' };
    await h.save([q, a], [q, a]);
    a.text = 'Because 因为';
    h.saveSoon(a);
    h.dispose();
    s.flushSync();
    const loaded = new ChatHistory(new FileStore(dir)).load();
    assert.deepEqual(loaded.map((m) => [m.id, m.text, m.status]), [['q', 'Why?', 'done'], ['a', 'Because 因为', 'cancelled']]);
  });
});
