// The document-range sink inside the real extension host: several ranges of one document (replace
// a selection, insert at a cursor, append after earlier text) streaming at once, in about one edit
// per frame for all of them, one undo step, the user typing elsewhere; and one stream feeding the
// document and a second sink at once.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { foldAnswer, type Batch, type Sink } from '../../src/core/answer';
import type { LlmEvent } from '../../src/core/types';
import { DocumentWriter } from '../../src/host/documentSink';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An answer streamed as many small deltas, a few ms apart (a fast provider). */
async function* answer(text: string, pieceLength = 3, gapMs = 2): AsyncGenerator<LlmEvent> {
  yield { type: 'start', provider: 'p', model: 'm' };
  for (let i = 0; i < text.length; i += pieceLength) {
    await sleep(gapMs);
    yield { type: 'text', text: text.slice(i, i + pieceLength) };
  }
  yield { type: 'end', finishReason: 'stop' };
}

let fileCounter = 0;

/** A real file per test: untitled documents may come back under a reused name with old text. */
async function openDoc(content: string): Promise<vscode.TextEditor> {
  const file = path.join(os.tmpdir(), `askllm-ranges-${process.pid}-${++fileCounter}.txt`);
  fs.writeFileSync(file, content);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc);
}

const quietWriter = (editor: vscode.TextEditor) => new DocumentWriter(editor, editor.document, { onClosed: () => undefined, onRejected: () => undefined });

describe('document ranges (one sink for insert, replace and append)', function () {
  this.timeout(30_000);
  afterEach(async () => {
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('three ranges stream at once: one replaces a selection, one inserts at a cursor, one at the end; one undo, one redo', async () => {
    const before = 'head\nREPLACE ME\ntail\nend';
    const editor = await openDoc(before);
    const doc = editor.document;
    const writer = quietWriter(editor);
    const sel = before.indexOf('REPLACE ME');
    const ranges = [
      writer.range({ start: 0, end: 0 }),
      writer.range({ start: sel, end: sel + 'REPLACE ME'.length }, true),
      writer.range({ start: before.length, end: before.length }),
    ];
    const answers = ['[first: 你好 🌏]\n'.repeat(20), 'rewritten\nover two lines '.repeat(15), '\n— appended at the end ✅'.repeat(12)];
    let deltas = 0;
    const counted = (text: string) => (async function* () {
      for await (const ev of answer(text)) {
        if (ev.type === 'text') deltas++;
        yield ev;
      }
    })();
    try {
      const outcomes = await Promise.all(ranges.map((r, i) => foldAnswer(counted(answers[i]), [r])));
      assert.deepEqual(outcomes.map((o) => o.text), answers);
      const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      const stored = (s: string) => s.replace(/\r?\n/g, eol);
      const expected = stored(answers[0] + before.slice(0, sel) + answers[1] + before.slice(sel + 'REPLACE ME'.length) + answers[2]);
      assert.equal(doc.getText(), expected);
      assert.ok(writer.edits * 4 < deltas, `${writer.edits} edits for ${deltas} deltas in three ranges`);
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), stored(before), 'one undo restores the whole document');
      await vscode.commands.executeCommand('redo');
      assert.equal(doc.getText(), expected, 'one redo brings every answer back');
    } finally {
      writer.dispose();
    }
  });

  it('an emoji cut between two pieces (a lone high surrogate at the end of one) lands whole, in order', async () => {
    const editor = await openDoc('head\ntail');
    const doc = editor.document;
    const writer = quietWriter(editor);
    const range = writer.range({ start: 5, end: 5 });
    try {
      range.write({ text: 'x \ud83c', reasoning: '' });
      for (let i = 0; i < 200 && !doc.getText().includes('x '); i++) await sleep(10);
      await sleep(50); // what the writer would write now is in (the editor moves an edit after a lone high surrogate before it)
      range.write({ text: '\udf0f y ', reasoning: '' });
      range.write({ text: 'z \ud83c', reasoning: '' });
      range.write({ text: '\udf0f', reasoning: '' });
      await range.finish();
      assert.equal(doc.getText(), 'head\nx 🌏 y z 🌏tail');
      assert.equal(range.written, 'x 🌏 y z 🌏'.length);
    } finally {
      writer.dispose();
    }
  });

  it('a range that finishes while another still streams: the last edit of the one and the next of the other do not race', async () => {
    const editor = await openDoc('[A][B]');
    const doc = editor.document;
    const touched: number[] = [];
    const writer = new DocumentWriter(editor, doc, { onClosed: () => undefined, onRejected: () => undefined, onTouched: (r) => touched.push(writer.ranges.indexOf(r)) });
    const a = writer.range({ start: 2, end: 2 });
    const b = writer.range({ start: 5, end: 5 });
    try {
      a.write({ text: 'a \ud83c', reasoning: '' }); // half an emoji waits: finish() writes it with a workspace edit
      for (let i = 0; i < 200 && !doc.getText().includes('a '); i++) await sleep(10);
      await sleep(50);
      const finishing = a.finish();
      b.write({ text: 'b1 ', reasoning: '' }); // while that edit is under way
      await finishing;
      b.write({ text: 'b2', reasoning: '' });
      await b.finish();
      assert.equal(doc.getText(), '[Aa \ud83c][Bb1 b2]');
      assert.deepEqual([a.written, b.written], [3, 5]);
      assert.deepEqual(touched, [], 'our own edits were never taken for the user\'s');
    } finally {
      writer.dispose();
    }
  });

  it('the user types before, between and after the ranges while they stream: nothing is overwritten', async () => {
    const editor = await openDoc('A\nB\nC');
    const doc = editor.document;
    const writer = quietWriter(editor);
    const ranges = [writer.range({ start: 2, end: 2 }), writer.range({ start: 4, end: 4 })];
    const texts = ['one '.repeat(60), 'two '.repeat(60)];
    const running = Promise.all(ranges.map((r, i) => foldAnswer(answer(texts[i]), [r])));
    while (!ranges.every((r) => r.written > 0)) await sleep(5);
    // Typed as a user would: version-checked edits racing the stream.
    // Text typed exactly where an answer is going goes after it: the answer stays in one piece.
    for (const [where, text] of [[() => 0, '<start>'], [() => ranges[0].span.end, '<mid>'], [() => doc.getText().length, '<end>']] as const) {
      let ok = false;
      while (!ok) ok = await editor.edit((b) => b.insert(doc.positionAt(where()), text));
    }
    await running;
    assert.equal(doc.getText(), `<start>A\n${texts[0]}<mid>B\n${texts[1]}C<end>`);
    writer.dispose();
  });

  it('an answer appended after one already written joins it with no seam (the shape Continue takes)', async () => {
    const editor = await openDoc('before|after');
    const writer = quietWriter(editor);
    const first = writer.range({ start: 7, end: 7 });
    await foldAnswer(answer('the first part, cut '), [first]);
    const next = writer.range({ start: first.span.end, end: first.span.end });
    await foldAnswer(answer('and the rest.'), [next]);
    assert.equal(editor.document.getText(), 'before|the first part, cut and the rest.after');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), 'before|after', 'one writer, one undo step');
    writer.dispose();
  });

  it('one stream feeds the document and a second sink at once, with the same text', async () => {
    const editor = await openDoc('');
    const writer = quietWriter(editor);
    const seen: Batch[] = [];
    const recorder: Sink = { write: (b) => { seen.push(b); }, finish: () => undefined };
    const text = 'shared between two surfaces 共享 '.repeat(30);
    const outcome = await foldAnswer(answer(text), [writer.range({ start: 0, end: 0 }), recorder]);
    assert.equal(outcome.text, text);
    assert.equal(editor.document.getText(), text);
    assert.equal(seen.map((b) => b.text).join(''), text);
    writer.dispose();
  });
});
