// "Ask LLM: Save Last Stream…" and "Ask LLM: Replay Saved Stream…": one of the last answers' raw
// responses (core/flightRecorder.ts) written as a fixture pair (core/fixtureFile.ts), and such a
// pair played back into the chat or a document, at its recorded pace or ten times faster, through
// a local replay server and a temporary profile of the recorded kind (host/replayServer.ts).
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Outcome } from '../core/answer';
import { fixtureBaseName, replayPlan, toFixture } from '../core/fixtureFile';
import type { FlightRecorder, Recording } from '../core/flightRecorder';
import { askResult, type AskResult, type AskTarget } from './askCommand';
import type { Config } from './config';
import { replayProfile, startReplayServer } from './replayServer';
import type { UiProvider } from '../shared/protocol';

export interface FlightDeps {
  recorder: FlightRecorder;
  config: Config;
  log: vscode.LogOutputChannel;
  /** Asks in the chat with this provider answering (revealing the chat first). */
  askInChat(prompt: string, from: UiProvider): Promise<Outcome>;
  /** `askLlm.ask` without UI: into a document. */
  askInDocument(args: { prompt: string; provider: string; target: AskTarget }): Promise<AskResult | undefined>;
}

/** What the save command takes from a caller (tests, other extensions): which answer, and where. */
interface SaveArgs {
  /** The recording's number (`seq`); the newest one by default. */
  seq?: number;
  /** The raw file's path; its `.expected.json` goes next to it. */
  path?: string;
}

interface ReplayArgs {
  /** The raw file or its `.expected.json`. */
  path: string;
  target?: 'chat' | 'cursor' | 'newDocument';
  /** 1 (as recorded) or 10 (ten times faster); any positive number works. */
  speed?: number;
}

const time = (at: number) => new Date(at).toLocaleTimeString();

function kb(bytes: number): string {
  return bytes < 1024 ? vscode.l10n.t('{0} bytes', bytes) : vscode.l10n.t('{0} KB', (bytes / 1024).toFixed(1));
}

/** How a recording ended, in a word or two. */
function ending(r: Recording): string {
  if (!r.ended) return vscode.l10n.t('still streaming');
  if (r.result.error) return vscode.l10n.t('failed: {0}', r.result.error.kind);
  return r.result.nativeFinishReason ?? r.result.finishReason ?? vscode.l10n.t('ended');
}

/** The first words of a question, on one line. */
function firstWords(q: string, max = 60): string {
  const line = q.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}\u2026` : line;
}

export class FlightCommands {
  constructor(private readonly deps: FlightDeps) {}

  /** The recordings a user can save: ended ones with an HTTP response, newest first. */
  private saveable(): Recording[] {
    return this.deps.recorder.list().filter((r) => r.ended && r.exchange);
  }

  /**
   * `askLlm.saveLastStream`: pick one of the last answers (by time, provider and the first words
   * of its question), pick where, write the raw file and its `.expected.json`. Resolves with the
   * two paths, or undefined when there was nothing to save or the user went back.
   */
  async save(args?: unknown): Promise<{ raw: string; expected: string } | undefined> {
    const given = typeof args === 'object' && args !== null ? (args as SaveArgs) : undefined;
    const all = this.saveable();
    if (!all.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Ask LLM: there is no answer to save yet. The last {0} answers\u2019 responses are kept while VS Code runs.', this.deps.recorder.limits.maxAnswers));
      return undefined;
    }
    let rec: Recording | undefined;
    if (given) {
      rec = given.seq === undefined ? all[0] : all.find((r) => r.seq === given.seq);
      if (!rec) throw new Error(`no saved answer #${given.seq}`);
    } else {
      const pick = await vscode.window.showQuickPick(all.map((r) => ({
        label: `${time(r.at)} \u00b7 ${r.profile.label ?? r.profile.id} (${r.profile.kind})`,
        description: firstWords(r.question),
        detail: vscode.l10n.t('{0} · {1} in {2} pieces{3}', ending(r), kb(r.exchange!.body.byteLength), r.exchange!.pieceEnds.length, r.exchange!.truncated ? vscode.l10n.t(' (only its start: it was longer than the recorder keeps)') : ''),
        rec: r,
      })), { title: vscode.l10n.t('Ask LLM: Save Last Stream'), placeHolder: vscode.l10n.t('Which answer\u2019s raw response to save as a fixture (keys and tokens are removed)'), matchOnDescription: true });
      rec = pick?.rec;
    }
    if (!rec) return undefined;
    const pair = toFixture(rec, fixtureBaseName(rec));
    let rawPath = given?.path;
    if (!rawPath) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
      const ext = path.extname(pair.rawName).slice(1);
      const uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Ask LLM: Save the raw stream (its .expected.json goes next to it)'),
        defaultUri: vscode.Uri.file(path.join(folder, pair.rawName)),
        filters: { [vscode.l10n.t('Raw stream')]: [ext] },
      });
      if (!uri) return undefined;
      rawPath = uri.fsPath;
    }
    const base = rawPath.replace(/\.(sse|ndjson|json)$/i, '');
    const raw = `${base}${path.extname(pair.rawName)}`;
    const expected = `${base}.expected.json`;
    pair.expected.fixture = path.basename(raw);
    await vscode.workspace.fs.writeFile(vscode.Uri.file(raw), pair.raw);
    await vscode.workspace.fs.writeFile(vscode.Uri.file(expected), new TextEncoder().encode(`${JSON.stringify(pair.expected, null, 2)}\n`));
    this.deps.log.info(`flight recorder: saved answer #${rec.seq} (${rec.profile.kind}, ${pair.raw.byteLength} bytes) as ${raw} and ${path.basename(expected)}`);
    if (!given) {
      const open = vscode.l10n.t('Open');
      const replay = vscode.l10n.t('Replay');
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Ask LLM: saved {0} and {1}. Keys and tokens are replaced by ‹redacted›; the files hold your question and the answer, so look them over before you share them.', path.basename(raw), path.basename(expected)),
        open, replay,
      ).then((c) => {
        if (c === open) void vscode.window.showTextDocument(vscode.Uri.file(expected));
        if (c === replay) void this.replay({ path: raw });
      });
    }
    return { raw, expected };
  }

  /**
   * `askLlm.replayStream`: a saved pair (picked, or `args.path`) plays into the chat or a document
   * (at the cursor, or a new one), at 1× or 10×, through a local server and a temporary profile of
   * the recorded kind. Resolves like `askLlm.ask`.
   */
  async replay(args?: unknown): Promise<AskResult | undefined> {
    const given = typeof args === 'object' && args !== null && typeof (args as ReplayArgs).path === 'string' ? (args as ReplayArgs) : undefined;
    let file = given?.path;
    if (!file) {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Ask LLM: Replay a saved stream'),
        canSelectMany: false,
        filters: { [vscode.l10n.t('Saved streams')]: ['sse', 'ndjson', 'json'] },
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      file = picked?.[0]?.fsPath;
    }
    if (!file) return undefined;
    const { rawPath, expectedPath } = await this.pairOf(file);
    let plan;
    try {
      const [raw, expected] = await Promise.all([vscode.workspace.fs.readFile(vscode.Uri.file(rawPath)), vscode.workspace.fs.readFile(vscode.Uri.file(expectedPath))]);
      plan = replayPlan(JSON.parse(new TextDecoder().decode(expected)), raw);
    } catch (err) {
      const message = vscode.l10n.t('Ask LLM: cannot replay {0}: {1}', path.basename(file), err instanceof Error ? err.message : String(err));
      void vscode.window.showErrorMessage(message);
      return { text: '', finishReason: 'error', error: { kind: 'badRequest', message, retryable: false } };
    }
    let target = given?.target;
    let speed = given?.speed;
    if (!given) {
      const targets: Array<vscode.QuickPickItem & { target: 'chat' | 'cursor' | 'newDocument' }> = [
        { label: vscode.l10n.t('Into the chat'), target: 'chat' },
        ...(vscode.window.activeTextEditor ? [{ label: vscode.l10n.t('Into the document, at the cursor'), target: 'cursor' as const }] : []),
        { label: vscode.l10n.t('Into a new document'), target: 'newDocument' },
      ];
      target = (await vscode.window.showQuickPick(targets, { title: vscode.l10n.t('Ask LLM: Replay {0}', path.basename(rawPath)) }))?.target;
      if (!target) return undefined;
      const speeds = [
        { label: vscode.l10n.t('1× — as it came, with its pauses'), speed: 1 },
        { label: vscode.l10n.t('10× — ten times faster'), speed: 10 },
      ];
      speed = (await vscode.window.showQuickPick(speeds, { title: vscode.l10n.t('Ask LLM: Replay speed') }))?.speed;
      if (!speed) return undefined;
    }
    const server = await startReplayServer(plan, speed && speed > 0 ? speed : 1);
    const name = path.basename(rawPath);
    const profile = replayProfile(plan, server.url, `replay-${Date.now().toString(36)}`, vscode.l10n.t('Replay of {0}', name));
    const temporary = this.deps.config.addTemporary(profile);
    const prompt = plan.question || vscode.l10n.t('Replay of {0}', name);
    this.deps.log.info(`flight recorder: replaying ${rawPath} (${plan.profile.kind}, ${plan.body.byteLength} bytes in ${plan.pieceEnds.length} pieces) at ${speed ?? 1}× into ${target ?? 'chat'}`);
    try {
      if ((target ?? 'chat') === 'chat') {
        return askResult(await this.deps.askInChat(prompt, { id: profile.id, label: profile.label!, model: profile.model, kind: profile.kind, isDemo: false }));
      }
      return await this.deps.askInDocument({ prompt, provider: profile.id, target: target === 'cursor' ? 'cursor' : 'newDocument' });
    } finally {
      temporary.dispose();
      await server.close();
    }
  }

  /** The raw file and the `.expected.json` of a pair, from either one. */
  private async pairOf(file: string): Promise<{ rawPath: string; expectedPath: string }> {
    if (/\.expected\.json$/i.test(file)) {
      const base = file.replace(/\.expected\.json$/i, '');
      for (const ext of ['.sse', '.ndjson', '.json']) {
        try {
          await vscode.workspace.fs.stat(vscode.Uri.file(base + ext));
          return { rawPath: base + ext, expectedPath: file };
        } catch {
          // not this one
        }
      }
      return { rawPath: `${base}.sse`, expectedPath: file };
    }
    return { rawPath: file, expectedPath: file.replace(/\.(sse|ndjson|json)$/i, '') + '.expected.json' };
  }
}
