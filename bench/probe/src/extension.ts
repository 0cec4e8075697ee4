// Benchmark probes that run beside Ask LLM in the same VS Code, fed by the same local server:
// - floor: the least a surface can do. Tokens batched per frame (16 ms); the webview appends plain
//   text into paragraph blocks; the editor gets one edit per batch with undo stops off.
// - naive: one postMessage per token with the whole message re-rendered as Markdown; one awaited
//   editor.edit per token.
// It also records, for ANY document (Ask LLM's too), when each «mN» marker first appears.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';

const hostProfiler = new inspector.Session();
let profiling = false;
let profiles = 0;

type Variant = 'floor' | 'naive';

interface RunArgs { variant: Variant; surface: 'webview' | 'editor'; url: string; prompt?: string }

const marks = new Map<string, number>();
/** Marks not yet pushed to the runner, and the timer that pushes them. */
const fresh = new Map<string, number>();
let pushing: ReturnType<typeof setTimeout> | undefined;
let docEdits = 0;
/** Where the runner reads results: the probe writes them to the fixture server (no other channel). */
async function report(url: string, body: unknown): Promise<void> {
  await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
const now = () => performance.timeOrigin + performance.now();

class ProbeView implements vscode.WebviewViewProvider {
  view: vscode.WebviewView | undefined;
  private ready: Promise<void> | undefined;
  private resolveReady: (() => void) | undefined;

  constructor(private readonly extUri: vscode.Uri, readonly variant: Variant) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const nonce = Math.random().toString(36).slice(2);
    const script = view.webview.asWebviewUri(vscode.Uri.joinPath(this.extUri, 'dist', 'webview.js'));
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extUri, 'dist')] };
    view.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'">
<style>body{font-family:var(--vscode-font-family);color:var(--vscode-foreground)} p{margin:0 0 .6em}</style></head>
<body data-variant="${this.variant}"><div id="out"></div><script nonce="${nonce}" src="${script}"></script></body></html>`;
    view.webview.onDidReceiveMessage((m: { type: string; text?: string }) => {
      if (m.type === 'ready') this.resolveReady?.();
      // The least a chat can do between Enter and the socket: read the job's URL and fetch.
      if (m.type === 'ask') {
        const job = vscode.workspace.getConfiguration('askLlmBench').get<{ url: string }>('job')!;
        void readTokens(job.url, m.text ?? '', () => undefined).catch(() => undefined);
      }
    });
  }

  async whenReady(): Promise<vscode.WebviewView> {
    if (!this.view) {
      this.ready = new Promise((r) => (this.resolveReady = r));
      await vscode.commands.executeCommand(`askLlmBench.${this.variant}.focus`);
      await this.ready;
    }
    return this.view!;
  }
}

/** Reads an OpenAI-style SSE chat stream and calls onToken per content delta. */
async function readTokens(url: string, prompt: string, onToken: (t: string) => void | Promise<void>): Promise<void> {
  const res = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: JSON.stringify({ model: 'bench', stream: true, messages: [{ role: 'user', content: prompt }] }),
  });
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const line = buf.slice(0, i).replace(/^data: /, '');
      buf = buf.slice(i + 2);
      if (line === '[DONE]') return;
      const t = (JSON.parse(line) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta?.content;
      if (t) await onToken(t);
    }
  }
}

export function activate(context: vscode.ExtensionContext): void {
  const views = { floor: new ProbeView(context.extensionUri, 'floor'), naive: new ProbeView(context.extensionUri, 'naive') };
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('askLlmBench.floor', views.floor),
    vscode.window.registerWebviewViewProvider('askLlmBench.naive', views.naive),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const t = now();
      if (e.document.uri.scheme === 'untitled' || e.document.fileName.endsWith('.md')) docEdits += e.contentChanges.length ? 1 : 0;
      for (const c of e.contentChanges) {
        for (const m of c.text.matchAll(/«m(\d+(?:x\d+)?)»/g)) {
          if (marks.has(m[1])) continue;
          marks.set(m[1], t);
          fresh.set(m[1], t);
        }
      }
      // New marks go to the runner from here, a few times a second: the runner asking for them
      // through the command palette while the answer streamed made the workbench busy under the
      // very edits it timed (about a third of its main thread, on both sides).
      if (fresh.size && !pushing) {
        pushing = setTimeout(() => {
          pushing = undefined;
          const job = vscode.workspace.getConfiguration('askLlmBench').get<{ reportUrl: string }>('job');
          if (job?.reportUrl) void report(job.reportUrl, { streamMarks: Object.fromEntries(fresh) }).catch(() => undefined);
          fresh.clear();
        }, 250);
      }
    }),
    vscode.commands.registerCommand('askLlmBench.open', async () => {
      await views.floor.whenReady();
      await views.naive.whenReady();
    }),
    vscode.commands.registerCommand('askLlmBench.apply', async () => {
      // Applies the settings of the runner's job through the API (a file written from outside is
      // not reliably picked up), then says so.
      const server = process.env.ASKLLM_BENCH_SERVER!;
      const job = (await (await fetch(`${server}/_job`)).json()) as { nonce: number; settings: Record<string, unknown> };
      for (const [key, value] of Object.entries(job.settings)) {
        await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
      }
      await report(`${server}/_report`, { applied: job.nonce });
    }),
    vscode.commands.registerCommand('askLlmBench.profile', async () => {
      // ASKLLM_BENCH_PROFILE=DIR: the first call starts a CPU profile of this extension host (Ask
      // LLM runs in it too), the second writes it to DIR.
      const dir = process.env.ASKLLM_BENCH_PROFILE;
      if (!dir) return;
      const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => hostProfiler.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
      if (!profiling) {
        hostProfiler.connect();
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 200 });
        await post('Profiler.start');
        profiling = true;
      } else {
        const { profile } = await post('Profiler.stop');
        hostProfiler.disconnect();
        profiling = false;
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, `host-${++profiles}.cpuprofile`), JSON.stringify(profile));
      }
      const job = vscode.workspace.getConfiguration('askLlmBench').get<{ reportUrl: string }>('job')!;
      await report(job.reportUrl, { profiled: profiling });
    }),
    vscode.commands.registerCommand('askLlmBench.selections', async () => {
      // Ask LLM's `selection` target on N selections of a new document at once (the job's
      // `selections`), then one undo and one redo: is the whole answer one undo step?
      const job = vscode.workspace.getConfiguration('askLlmBench').get<{ reportUrl: string; selections: number }>('job')!;
      const n = job.selections;
      const original = Array.from({ length: n }, (_, i) => `line ${i} to rewrite`).join('\n\n');
      const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: original });
      const editor = await vscode.window.showTextDocument(doc);
      editor.selections = Array.from({ length: n }, (_, i) => new vscode.Selection(2 * i, 0, 2 * i, doc.lineAt(2 * i).text.length));
      docEdits = 0;
      const started = now();
      const result = await vscode.commands.executeCommand<{ parts?: Array<{ finishReason: string }>; finishReason: string }>('askLlm.ask', { prompt: 'bench', target: 'selection' });
      const durationMs = now() - started;
      const edits = docEdits;
      const answered = doc.getText();
      await vscode.commands.executeCommand('undo');
      const undoRestores = doc.getText() === original;
      await vscode.commands.executeCommand('redo');
      const redoRestores = doc.getText() === answered;
      await report(job.reportUrl, {
        selections: n, parts: result?.parts?.length ?? 1, finishReasons: (result?.parts ?? [result]).map((p) => p?.finishReason),
        edits, durationMs, undoRestores, redoRestores,
      });
    }),
    vscode.commands.registerCommand('askLlmBench.continue', async () => {
      // Continue against a fresh ask, from the command to its first character in the document: a
      // fresh ask at the cursor of a new document (the job's provider cuts it at the token limit),
      // then askLlm.continue on it.
      const job = vscode.workspace.getConfiguration('askLlmBench').get<{ reportUrl: string }>('job')!;
      const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
      await vscode.window.showTextDocument(doc);
      // The first change with text after the command, read once the command has resolved.
      let first: number | undefined;
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (first === undefined && e.document === doc && e.contentChanges.some((c) => c.text)) first = now();
      });
      // Each command a second after the last (as a user's would be): the editor just opened, or
      // the warning that the answer was cut just appeared, is not in the figure.
      const timed = async <T>(command: string, args?: unknown): Promise<[T, number | undefined, number]> => {
        await new Promise((r) => setTimeout(r, 1000));
        first = undefined;
        const since = now();
        const result = await vscode.commands.executeCommand<T>(command, args);
        return [result, first === undefined ? undefined : first - since, since];
      };
      type Result = { finishReason: string } | undefined;
      const [fresh, freshMs, freshAt] = await timed<Result>('askLlm.ask', { prompt: 'bench', target: 'cursor' });
      const [continued, continueMs, continueAt] = await timed<Result>('askLlm.continue');
      sub.dispose();
      await report(job.reportUrl, {
        continueRun: true, freshMs, continueMs, freshAt, continueAt,
        freshFinish: fresh?.finishReason, continuedFinish: continued?.finishReason, text: doc.getText(),
      });
    }),
    vscode.commands.registerCommand('askLlmBench.report', async () => {
      // Document marks, edits and the extension host's CPU and memory since the last report.
      const job = vscode.workspace.getConfiguration('askLlmBench').get<{ reportUrl: string }>('job')!;
      const cpu = process.cpuUsage();
      await report(job.reportUrl, { marks: Object.fromEntries(marks), docEdits, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, memory: process.memoryUsage() });
      marks.clear();
      docEdits = 0;
    }),
    vscode.commands.registerCommand('askLlmBench.run', async (given?: RunArgs) => {
      const args = given ?? vscode.workspace.getConfiguration('askLlmBench').get<RunArgs & { reportUrl: string }>('job')!;
      const prompt = args.prompt ?? 'bench';
      const started = now();
      let edits = 0;
      if (args.surface === 'webview') {
        const view = await views[args.variant].whenReady();
        await view.webview.postMessage({ type: 'reset' });
        if (args.variant === 'naive') {
          await readTokens(args.url, prompt, (t) => void view.webview.postMessage({ type: 'token', text: t }));
        } else {
          let pending = '';
          const timer = setInterval(() => { if (pending) { void view.webview.postMessage({ type: 'batch', text: pending }); pending = ''; } }, 16);
          await readTokens(args.url, prompt, (t) => { pending += t; });
          clearInterval(timer);
          if (pending) await view.webview.postMessage({ type: 'batch', text: pending });
        }
        await view.webview.postMessage({ type: 'done' });
      } else {
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
        const editor = await vscode.window.showTextDocument(doc);
        const end = () => doc.positionAt(doc.getText().length);
        if (args.variant === 'naive') {
          await readTokens(args.url, prompt, async (t) => { await editor.edit((b) => b.insert(end(), t)); edits++; });
        } else {
          // The best the editor API allows: one edit per frame, and whatever arrives while an
          // edit is in flight goes into the next one (never a queue of small edits).
          let pending = '';
          let inFlight: Promise<unknown> | undefined;
          const flush = () => {
            if (!pending || inFlight) return;
            const text = pending;
            pending = '';
            inFlight = Promise.resolve(editor.edit((b) => b.insert(end(), text), { undoStopBefore: edits === 0, undoStopAfter: false })).then(() => {
              edits++;
              inFlight = undefined;
            });
          };
          const timer = setInterval(flush, 16);
          await readTokens(args.url, prompt, (t) => { pending += t; });
          clearInterval(timer);
          while (inFlight || pending) {
            await inFlight;
            flush();
          }
        }
      }
      const result = { ms: now() - started, edits };
      const reportUrl = (args as RunArgs & { reportUrl?: string }).reportUrl;
      if (reportUrl) await report(reportUrl, { done: true, ...result });
      return result;
    }),
  );
}
