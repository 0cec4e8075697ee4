// Activation cost without the noise of a workbench starting on a shared machine: a fresh Node
// process loads the production bundle against a stub `vscode` module (every API a no-op) and
// times bundle load + activate(). Median of N fresh processes. Run: node bench/activation.mjs
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 15);
// Every top-level name src/ uses from 'vscode' (esbuild's interop copies own properties).
const NAMES = ["CancellationTokenSource", "ConfigurationTarget", "Disposable", "EndOfLine", "Event", "EventEmitter", "ExtensionContext", "LanguageModelChat", "LanguageModelChatMessage", "LanguageModelError", "LanguageModelTextPart", "LanguageModelToolCallPart", "LogOutputChannel", "Memento", "Position", "ProgressLocation", "QuickPickItem", "QuickPickItemKind", "Range", "SecretStorage", "StatusBarAlignment", "TextDocument", "TextDocumentContentChangeEvent", "TextEditor", "TextEditorRevealType", "Uri", "Webview", "WebviewView", "WebviewViewProvider", "WorkspaceEdit", "commands", "env", "lm", "postMessage", "window", "workspace"];
const child = `
const Module = require('module');
const stub = new Proxy(function () {}, {
  // Settings read as unset; show* resolve like dismissed messages; nothing is a thenable.
  get: (t, k) => (k === 'then' ? undefined : k === 'get' ? () => undefined : typeof k === 'string' && k.startsWith('show') ? () => Promise.resolve(undefined) : k === Symbol.toPrimitive ? () => '' : stub),
  apply: () => stub,
  construct: () => stub,
  set: () => true,
});
const api = Object.fromEntries(${JSON.stringify(NAMES)}.map((n) => [n, stub]));
const load = Module._load;
Module._load = function (req, ...rest) { return req === 'vscode' ? api : load.call(this, req, ...rest); };
const t0 = performance.now();
const ext = require(${JSON.stringify(path.join(root, 'dist/extension.js'))});
const t1 = performance.now();
ext.activate({ subscriptions: [], secrets: stub, workspaceState: stub, globalState: stub, extensionUri: stub });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1 }));
`;
const samples = [];
for (let i = 0; i < runs; i++) samples.push(JSON.parse(execFileSync(process.execPath, ['-e', child]).toString()));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = { loadMs: median(samples.map((s) => s.loadMs)), activateMs: median(samples.map((s) => s.activateMs)) };
result.totalMs = result.loadMs + result.activateMs;
console.log(JSON.stringify(result));
