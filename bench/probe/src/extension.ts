// Benchmark probes that run beside Ask LLM in the same VS Code, fed by the same local server:
// - floor: the least a surface can do. Tokens batched per frame (16 ms); the webview appends plain
//   text into paragraph blocks; the editor gets one edit per batch with undo stops off.
// - naive: one postMessage per token with the whole message re-rendered as Markdown; one awaited
//   editor.edit per token.
// It also records, for ANY document (Ask LLM's too), when each «mN» marker first appears.
import * as vscode from 'vscode';

type Variant = 'floor' | 'naive';

interface RunArgs { variant: Variant; surface: 'webview' | 'editor'; url: string; prompt?: string }

const marks = new Map<string, number>();
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
    view.webview.onDidReceiveMessage((m: { type: string }) => { if (m.type === 'ready') this.resolveReady?.(); });
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
      for (const c of e.contentChanges) for (const m of c.text.matchAll(/«m(\d+)»/g)) if (!marks.has(m[1])) marks.set(m[1], t);
    }),
    vscode.commands.registerCommand('askLlmBench.marks', (clear?: boolean) => {
      const out = Object.fromEntries(marks);
      if (clear) marks.clear();
      return out;
    }),
    vscode.commands.registerCommand('askLlmBench.run', async (args: RunArgs) => {
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
          let pending = '';
          let writing: Promise<unknown> = Promise.resolve();
          const flush = () => {
            if (!pending) return;
            const text = pending;
            pending = '';
            writing = writing.then(() => editor.edit((b) => b.insert(end(), text), { undoStopBefore: edits === 0, undoStopAfter: false })).then(() => edits++);
          };
          const timer = setInterval(flush, 16);
          await readTokens(args.url, prompt, (t) => { pending += t; });
          clearInterval(timer);
          flush();
          await writing;
        }
      }
      return { ms: now() - started, edits };
    }),
  );
}
