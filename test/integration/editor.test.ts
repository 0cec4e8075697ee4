// Ask LLM writing into documents, inside the real extension host: exact text at the cursor, one
// undo step, the user's edits during the stream, Stop, a closed document, errors.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AskLlmApi } from '../../src/api';
import type { ProviderProfile } from '../../src/core/types';
import { collect } from '../support/collect';
import { CONTINUED_ANSWER, loadFixture, type RecordedRequest } from '../support/fixtureServer';
import { synthText } from '../support/synth';

interface AskResult { text: string; finishReason: string; error?: { kind: string; message: string } }

const server = () => process.env.ASKLLM_TEST_SERVER!;
const expectedText = (fixture: string) => String((loadFixture(fixture).meta.expected as { text?: string }).text ?? '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function useProvider(baseUrl: string, extra: Partial<ProviderProfile> = {}): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('askLlm');
  await cfg.update('providers', [{ id: 'test', kind: 'openai', model: 'm', baseUrl: `${server()}${baseUrl}`, apiKeyEnv: 'ASKLLM_TEST_KEY', ...extra }], vscode.ConfigurationTarget.Global);
  await cfg.update('activeProvider', 'test', vscode.ConfigurationTarget.Global);
}

async function openDoc(content: string, cursor: number): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  const editor = await vscode.window.showTextDocument(doc);
  const pos = doc.positionAt(cursor);
  editor.selection = new vscode.Selection(pos, pos);
  return editor;
}

const ask = (args: object) => vscode.commands.executeCommand<AskResult>('askLlm.ask', args);

async function lastRequest(path: string): Promise<RecordedRequest | undefined> {
  const log = (await (await fetch(`${server()}/_log`)).json()) as RecordedRequest[];
  return log.filter((r) => r.url.startsWith(path)).pop();
}

/** Waits until `cond` holds, polling (the stream runs on its own). */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Waits until `probe` resolves with a value (polling an outside source such as the server's log). */
async function untilAsync<T>(probe: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('askLlm.ask into the editor', function () {
  this.timeout(30_000);
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    await vscode.workspace.getConfiguration('askLlm').update('providers', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('askLlm').update('activeProvider', undefined, vscode.ConfigurationTarget.Global);
  });

  it('writes exactly the answer at the cursor, and one undo removes all of it', async () => {
    await useProvider('/replay/openai-chat-basic.sse/random-7/v1');
    const before = 'first line\nsecond line\n';
    const editor = await openDoc(before, 'first line\n'.length);
    const result = await ask({ prompt: 'hi', target: 'cursor' });
    const answer = expectedText('openai-chat-basic.sse');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.text, answer);
    assert.equal(editor.document.getText(), `first line\n${answer}second line\n`);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), before, 'one undo restores the document');
  });

  it('a long streamed answer is still one undo step, in far fewer edits than tokens', async () => {
    await useProvider('/synth/600/3000/v1');
    const editor = await openDoc('', 0);
    const result = await ask({ prompt: 'hi', target: 'cursor' });
    assert.equal(editor.document.getText(), synthText(600));
    assert.equal(result.text, synthText(600));
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), '');
  });

  it('text the user types elsewhere during the stream survives, and the answer lands whole', async () => {
    await useProvider('/synth/400/200/v1');
    const editor = await openDoc('top\n\nbottom', 'top\n\n'.length);
    const running = ask({ prompt: 'hi', target: 'cursor' });
    await until(() => editor.document.getText().length > 'top\n\nbottom'.length + 20, 'the first text');
    // As a user would, with keys: these run in the editor itself, so unlike API edits they never
    // lose a version race with the stream's edits.
    await vscode.commands.executeCommand('cursorTop');
    await vscode.commands.executeCommand('type', { text: 'USER TYPED ' });
    await vscode.commands.executeCommand('cursorBottom');
    await vscode.commands.executeCommand('type', { text: ' AND AT THE END' });
    assert.ok(editor.document.getText().startsWith('USER TYPED top'), 'the typing went in');
    const result = await running;
    assert.equal(result.finishReason, 'stop');
    assert.equal(editor.document.getText(), `USER TYPED top\n\n${synthText(400)}bottom AND AT THE END`);
  });

  it('target cursor sends the primary selection along as context and writes after it', async () => {
    await useProvider('/echo/400/1/v1');
    const editor = await openDoc('keep THIS text', 0);
    editor.selection = new vscode.Selection(0, 5, 0, 9);
    const result = await ask({ prompt: 'Explain', target: 'cursor' });
    assert.equal(result.text, '«rewritten:THIS»', 'the request carried the selection');
    assert.equal(editor.document.getText(), 'keep THIS«rewritten:THIS» text');
  });

  it('target selection: eight selections (one empty, one across CRLF lines) each get their own answer at once; one undo, one redo', async () => {
    await useProvider('/echo/400/3/v1');
    const lines = ['zero alpha', 'one beta', 'two gamma', 'three delta', 'four epsilon', 'five zeta', 'six eta', 'seven theta', 'eight iota'];
    const editor = await openDoc(lines.join('\r\n'), 0);
    const doc = editor.document;
    assert.equal(doc.eol, vscode.EndOfLine.CRLF);
    const word = (line: number, w: string) => {
      const at = doc.lineAt(line).text.indexOf(w);
      return new vscode.Selection(line, at, line, at + w.length);
    };
    const selections = [
      word(7, 'theta'), word(0, 'alpha'), new vscode.Selection(1, 0, 1, 0),
      new vscode.Selection(2, 4, 3, 5), // "gamma\r\nthree"
      word(4, 'epsilon'), word(5, 'zeta'), word(6, 'eta'), word(8, 'iota'),
    ];
    editor.selections = selections;
    const before = doc.getText();
    const ordered = [...selections].sort((a, b) => a.start.compareTo(b.start));
    const answers = ordered.map((sel) => Array(3).fill(`«rewritten:${sel.isEmpty ? 'Rewrite' : doc.getText(sel)}»`).join(' '));
    let expected = before;
    for (let i = ordered.length - 1; i >= 0; i--) {
      expected = expected.slice(0, doc.offsetAt(ordered[i].start)) + answers[i] + expected.slice(doc.offsetAt(ordered[i].end));
    }
    const result = await ask({ prompt: 'Rewrite', target: 'selection' }) as AskResult & { parts?: AskResult[] };
    assert.equal(doc.getText(), expected);
    assert.deepEqual(result.parts?.map((p) => p.text), answers, 'parts in document order, each from its own request');
    assert.ok(result.parts?.every((p) => p.finishReason === 'stop'));
    const requests = ((await (await fetch(`${server()}/_log`)).json()) as RecordedRequest[]).filter((r) => r.url.startsWith('/echo/400/3/'));
    assert.ok(requests.length >= 8);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), before, 'one undo restores the whole document');
    await vscode.commands.executeCommand('redo');
    assert.equal(doc.getText(), expected, 'one redo brings every answer back');
  });

  it('target selection: an edit inside one range stops that answer and keeps what it wrote; the others finish', async () => {
    // 160 pieces at 20/s: the answer is still streaming when the user types, on a busy machine too
    // (with 40 at 10/s, a slow round of showTextDocument + type sometimes came after the end).
    await useProvider('/echo/20/160/v1');
    const editor = await openDoc('AAAA\nBBBB', 0);
    const doc = editor.document;
    editor.selections = [new vscode.Selection(0, 0, 0, 4), new vscode.Selection(1, 0, 1, 4)];
    const running = ask({ prompt: 'Rewrite', target: 'selection' }) as Thenable<AskResult & { parts?: AskResult[] }>;
    await until(() => doc.lineAt(0).text.length > 20, 'the first range to have text');
    // Typed as a user types (through the focused editor, not a version-checked API edit that the
    // stream would keep outrunning).
    const focused = await vscode.window.showTextDocument(doc, editor.viewColumn);
    focused.selection = new vscode.Selection(0, 3, 0, 3);
    await vscode.commands.executeCommand('type', { text: '<USER>' });
    assert.ok(doc.getText().startsWith('«re<USER>'), `typed inside the first answer: ${doc.getText().slice(0, 40)}`);
    const typedAt = performance.now();
    const result = await running;
    const whole = Array(160).fill('«rewritten:AAAA»').join(' ').length;
    // Which way a failure goes tells a late typing (the machine stalled: the first answer was whole
    // before the edit landed) from a range that missed the user's edit (it stopped short but "stop").
    const when = `part 0: ${result.parts?.[0].finishReason}, ${result.parts?.[0].text.length} of ${whole} characters; answers done ${(performance.now() - typedAt).toFixed(0)} ms after the typing`;
    assert.ok(result.parts![0].text.length < whole, `the touched range stopped early (${when})`);
    assert.equal(result.parts?.[0].finishReason, 'cancelled', when);
    assert.equal(result.parts?.[1].finishReason, 'stop');
    assert.ok(doc.getText().includes('<USER>'), 'the user\'s text is kept');
    assert.ok(doc.getText().endsWith(Array(160).fill('«rewritten:BBBB»').join(' ')), 'the other range finished');
  });

  it('Continue after a length cut: the partial goes as the last assistant message, the document holds partial + continuation with no seam', async () => {
    await useProvider('/cont/300/v1');
    const editor = await openDoc('top\n\nbottom', 'top\n\n'.length);
    const first = await ask({ prompt: 'hi', target: 'cursor' });
    assert.equal(first.finishReason, 'length');
    const partial = first.text;
    assert.ok(partial.length > 20 && CONTINUED_ANSWER.startsWith(partial));
    // The user types elsewhere before continuing: the continuation still lands right after the answer.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# '));
    const whole = await vscode.commands.executeCommand<AskResult>('askLlm.continue');
    assert.equal(whole.finishReason, 'stop');
    assert.equal(whole.text, CONTINUED_ANSWER, 'what was there plus the continuation');
    assert.equal(editor.document.getText(), `# top\n\n${CONTINUED_ANSWER}bottom`, 'the repeated word at the seam is written once');
    const body = JSON.parse((await lastRequest('/cont/300/'))!.body) as { messages: Array<{ role: string; content: string }> };
    const [assistant, instruction] = body.messages.slice(-2);
    assert.deepEqual(assistant, { role: 'assistant', content: partial });
    assert.equal(instruction.role, 'user', 'a plain OpenAI-compatible server is asked in words to carry on');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), `# top\n\n${partial}bottom`, 'the continuation is one undo step of its own');
  });

  it('Continue with a native continuation (vLLM continue_final_message): the partial is the last message', async () => {
    await useProvider('/cont/300/v1', { continuation: 'native' });
    const editor = await openDoc('', 0);
    assert.equal((await ask({ prompt: 'hi', target: 'cursor' })).finishReason, 'length');
    const whole = await vscode.commands.executeCommand<AskResult>('askLlm.continue');
    assert.equal(whole.text, CONTINUED_ANSWER);
    assert.equal(editor.document.getText(), CONTINUED_ANSWER);
    const body = JSON.parse((await lastRequest('/cont/300/'))!.body) as { messages: Array<{ role: string }>; continue_final_message?: boolean; add_generation_prompt?: boolean };
    assert.equal(body.messages[body.messages.length - 1].role, 'assistant');
    assert.equal(body.continue_final_message, true);
    assert.equal(body.add_generation_prompt, false);
  });

  for (const cut of ['Stop', 'a dropped connection'] as const) {
    it(`Continue after ${cut}: the answer carries on right after the partial, no seam; one undo takes back only the continuation`, async () => {
      // Slow enough that Stop comes mid-answer on a busy machine too (38 pieces: about 5 s).
      await useProvider(cut === 'Stop' ? '/cont/8/v1' : '/fx/resetonce:6/cont/300/v1');
      const editor = await openDoc('top\n\nbottom', 'top\n'.length);
      const running = ask({ prompt: 'hi', target: 'cursor' });
      if (cut === 'Stop') {
        await until(() => editor.document.getText().length > 'top\n\nbottom'.length + 15, 'some text');
        assert.equal(await vscode.commands.executeCommand('askLlm.stop'), true);
      }
      const first = await running;
      assert.equal(first.finishReason, cut === 'Stop' ? 'cancelled' : 'error', `${first.text.length} chars: ${first.text}`);
      if (cut !== 'Stop') assert.equal(first.error?.kind, 'network');
      const partial = first.text;
      assert.ok(partial.length > 0 && partial.length < CONTINUED_ANSWER.length && CONTINUED_ANSWER.startsWith(partial), `a prefix of the answer: ${partial}`);
      assert.equal(editor.document.getText(), `top\n${partial}\nbottom`);
      const whole = await vscode.commands.executeCommand<AskResult>('askLlm.continue');
      assert.equal(whole.finishReason, 'stop');
      assert.equal(whole.text, CONTINUED_ANSWER);
      assert.equal(editor.document.getText(), `top\n${CONTINUED_ANSWER}\nbottom`, 'the words at the seam are written once');
      const body = JSON.parse((await lastRequest(cut === 'Stop' ? '/cont/8/' : '/fx/resetonce:6/cont/'))!.body) as { messages: Array<{ role: string; content: string }> };
      assert.deepEqual(body.messages.at(-2), { role: 'assistant', content: partial }, 'the partial answer goes along');
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), `top\n${partial}\nbottom`, 'the continuation is one undo step of its own');
    });
  }

  it('askLlm.stop mid-stream keeps the text so far and closes the connection', async () => {
    await useProvider('/synth/2000/50/v1');
    const editor = await openDoc('', 0);
    const running = ask({ prompt: 'hi', target: 'cursor' });
    await until(() => editor.document.getText().length > 10, 'the first text');
    assert.equal(await vscode.commands.executeCommand('askLlm.stop'), true);
    const result = await running;
    assert.equal(result.finishReason, 'cancelled');
    const text = editor.document.getText();
    assert.ok(text.length > 0 && synthText(2000).startsWith(text), 'a non-empty prefix of the answer stays');
    assert.equal(result.text, text);
    const req = await untilAsync(async () => {
      const r = await lastRequest('/synth/2000/50/v1');
      return r?.closed ? r : undefined;
    }, 'the server to see the request end');
    assert.equal(req.clientAborted, true, 'the server saw the client hang up (the answer was not complete)');
  });

  it('closing the document mid-stream stops quietly', async () => {
    await useProvider('/synth/2000/50/v1');
    const editor = await openDoc('', 0);
    const running = ask({ prompt: 'hi', target: 'cursor' });
    await until(() => editor.document.getText().length > 10, 'the first text');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const result = await running;
    assert.equal(result.finishReason, 'cancelled');
    assert.equal(result.error, undefined);
  });

  it('a read-only file: nothing is written into it, and the whole answer goes on in a new document', async () => {
    await useProvider('/synth/300/2000/v1');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-ro-')), 'locked.md');
    fs.writeFileSync(file, 'locked\n');
    const files = vscode.workspace.getConfiguration('files');
    await files.update('readonlyInclude', { '**/locked.md': true }, vscode.ConfigurationTarget.Global);
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      const result = await ask({ prompt: 'hi', target: 'cursor' });
      assert.equal(result.error, undefined);
      assert.equal(result.text, synthText(300));
      assert.equal(doc.getText(), 'locked\n');
      assert.equal(doc.isDirty, false);
      const moved = vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.getText() === synthText(300));
      assert.equal(moved.length, 1, 'the answer, whole, in one new document');
    } finally {
      await files.update('readonlyInclude', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a CRLF document gets CRLF line ends and the same single undo', async () => {
    await useProvider('/synth/120/5000/v1');
    const editor = await openDoc('a\r\nb', 3);
    await ask({ prompt: 'hi', target: 'cursor' });
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    assert.equal(editor.document.getText(), `a\r\n${synthText(120).replace(/\n/g, '\r\n')}b`);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), 'a\r\nb');
  });

  it('a wrong key is an auth error and nothing is written into the document', async () => {
    await useProvider('/replay/openai-error-401.json/whole/v1');
    const editor = await openDoc('untouched', 4);
    const result = await ask({ prompt: 'hi', target: 'cursor' });
    assert.equal(result.finishReason, 'error');
    assert.equal(result.error?.kind, 'auth');
    assert.equal(editor.document.getText(), 'untouched');
  });

  it('an unreachable server and a proxy HTML page are clear errors, nothing written', async () => {
    await useProvider('/fault/html/v1');
    const editor = await openDoc('x', 1);
    const html = await ask({ prompt: 'hi', target: 'cursor' });
    assert.equal(html.error?.kind, 'server');
    assert.match(html.error?.message ?? '', /HTML page/);
    const cfg = vscode.workspace.getConfiguration('askLlm');
    await cfg.update('providers', [{ id: 'test', kind: 'openai', model: 'm', baseUrl: 'http://127.0.0.1:1/v1', maxRetries: 0 }], vscode.ConfigurationTarget.Global);
    const down = await ask({ prompt: 'hi', target: 'cursor' });
    assert.equal(down.error?.kind, 'network');
    assert.equal(editor.document.getText(), 'x');
  });

  it('with target newDocument the answer opens in a new Markdown document', async () => {
    await useProvider('/replay/deepseek-reasoning.sse/whole/v1');
    const result = await ask({ prompt: 'hi', target: 'newDocument' });
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'markdown');
    assert.equal(doc?.getText(), expectedText('deepseek-reasoning.sse'));
    assert.equal(result.text, expectedText('deepseek-reasoning.sse'));
  });

  it('code-aware: one fenced block goes in without its fences (as it streams), later lines indented like the cursor; one undo', async () => {
    await useProvider('/say/200/v1');
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def f(x):\n    \n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 4, 1, 4);
    const answer = '```python\nif x:\n    return "你好 🌏"\n\nreturn None\n```\n';
    const seen: string[] = [];
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc) seen.push(doc.getText());
    });
    const result = await ask({ prompt: `say:${answer}`, target: 'cursor' });
    sub.dispose();
    assert.equal(result.text, answer, 'the result is the answer as the model wrote it');
    assert.equal(doc.getText(), 'def f(x):\n    if x:\n        return "你好 🌏"\n\n    return None\n');
    assert.ok(seen.every((t) => !t.includes('`')), 'no fence ever appeared in the document');
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), 'def f(x):\n    \n');
  });

  it('code-aware: text after the block means it was not one block; the fences come back, one undo', async () => {
    await useProvider('/say/200/v1');
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'x = 0\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const answer = '```python\nx = 1\n```\n\nThat sets x.';
    await ask({ prompt: `say:${answer}`, target: 'cursor' });
    assert.equal(doc.getText(), `x = 0\n${answer}`);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), 'x = 0\n');
  });

  it('target newDocument: one fenced block opens in its language, without fences', async () => {
    await useProvider('/say/200/v1');
    const result = await ask({ prompt: 'say:```py\nprint("hi")\n```', target: 'newDocument' });
    assert.equal(result.finishReason, 'stop');
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'python');
    assert.equal(doc?.getText(), 'print("hi")');
  });

  it('review: each rewritten range offers Keep and Undo; Undo puts back that range only, Keep clears it', async () => {
    await useProvider('/echo/400/1/v1');
    const editor = await openDoc('one\ntwo\nthree', 0);
    const doc = editor.document;
    editor.selections = [new vscode.Selection(0, 0, 0, 3), new vscode.Selection(2, 0, 2, 5)];
    await ask({ prompt: 'Rewrite', target: 'selection' });
    assert.equal(doc.getText(), '«rewritten:one»\ntwo\n«rewritten:three»');
    const lenses = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)).filter((l) => l.command?.command.startsWith('askLlm.'));
    let found = await lenses();
    assert.deepEqual(found.map((l) => [l.range.start.line, l.command?.command]).sort(), [[0, 'askLlm.keepAnswer'], [0, 'askLlm.undoAnswer'], [2, 'askLlm.keepAnswer'], [2, 'askLlm.undoAnswer']]);
    const undo = found.find((l) => l.range.start.line === 2 && l.command?.command === 'askLlm.undoAnswer')!;
    await vscode.commands.executeCommand(undo.command!.command, ...(undo.command!.arguments ?? []));
    assert.equal(doc.getText(), '«rewritten:one»\ntwo\nthree', 'only the second range is back to its original');
    found = await lenses();
    assert.deepEqual(found.map((l) => l.range.start.line), [0, 0]);
    const keep = found.find((l) => l.command?.command === 'askLlm.keepAnswer')!;
    await vscode.commands.executeCommand(keep.command!.command, ...(keep.command!.arguments ?? []));
    assert.equal((await lenses()).length, 0);
    assert.equal(doc.getText(), '«rewritten:one»\ntwo\nthree');
  });

  it('a notebook cell: Ask LLM in the cell editor streams into that cell', async () => {
    await useProvider('/say/200/v1');
    const nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'a = 1\n', 'python'),
    ]));
    await vscode.window.showNotebookDocument(nb, { selections: [new vscode.NotebookRange(0, 1)] });
    await vscode.commands.executeCommand('notebook.cell.edit');
    const cell = nb.cellAt(0).document;
    await until(() => vscode.window.activeTextEditor?.document === cell, 'the cell editor to have focus');
    vscode.window.activeTextEditor!.selection = new vscode.Selection(1, 0, 1, 0);
    const result = await ask({ prompt: 'say:```python\nb = 2\n```', target: 'cursor' });
    assert.equal(result.finishReason, 'stop');
    assert.equal(cell.getText(), 'a = 1\nb = 2');
  });

  it('the file changes on disk mid-stream, or its editor is hidden: the answer still lands whole, no error', async () => {
    await useProvider('/synth/300/400/v1');
    const file = path.join(os.tmpdir(), `askllm-disk-${process.pid}-${Date.now()}.md`);
    fs.writeFileSync(file, 'on disk\n');
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const running = ask({ prompt: 'hi', target: 'cursor' });
    await until(() => doc.getText().length > 40, 'the first text');
    fs.writeFileSync(file, 'changed by someone else\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'another', language: 'plaintext' }), editor.viewColumn);
    const result = await running;
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.error, undefined);
    assert.equal(doc.getText(), `on disk\n${synthText(300)}`, 'the answer is whole in the document, which keeps it (dirty) until the user decides');
    assert.ok(doc.isDirty);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(file, { force: true });
  });

  it('target chat answers in the side-bar chat and resolves with the text', async () => {
    await useProvider('/replay/openai-chat-basic.sse/whole/v1');
    await vscode.commands.executeCommand('askLlm.newChat');
    const result = await ask({ prompt: 'hi', target: 'chat' });
    assert.equal(result.text, expectedText('openai-chat-basic.sse'));
    assert.equal(result.finishReason, 'stop');
  });
});

describe('public API in the extension host', function () {
  this.timeout(30_000);

  it('streamEvents yields the events of a replayed fixture', async () => {
    await useProvider('/replay/openai-chat-usage.sse/bytes/v1');
    const api = await vscode.extensions.getExtension<AskLlmApi>('askllm.ask-llm')!.activate();
    const got = await collect(api.streamEvents('hi'));
    const expected = loadFixture('openai-chat-usage.sse').meta.expected as { text: string; usage_normalized: { input_tokens: number; output_tokens: number; total_tokens: number } };
    assert.equal(got.events[0].type, 'start');
    assert.equal(got.text, expected.text);
    assert.deepEqual(got.usage, { inputTokens: expected.usage_normalized.input_tokens, outputTokens: expected.usage_normalized.output_tokens, totalTokens: expected.usage_normalized.total_tokens });
    assert.deepEqual(got.terminal, { type: 'end', finishReason: 'stop', nativeFinishReason: 'stop' });
    assert.equal(await api.invoke('hi'), expected.text);
    assert.deepEqual(await api.batch(['a', 'b']), [expected.text, expected.text]);
  });
});
