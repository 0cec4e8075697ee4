// Reliability inside the real extension host: the chat shows a wait as a wait; an answer a window
// reload cuts comes back interrupted, with Continue; eight streams at once (the chat, two
// documents, five API calls, eight kinds) never mix; the flight recorder saves a stream and plays
// it back as it came; a known key run through every kind appears in nothing the extension keeps,
// logs, shows or saves.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AskLlmApi } from '../../src/api';
import type { ChatMessage, LlmEvent, ProviderProfile } from '../../src/core/types';
import type { ChatDeps } from '../../src/host/chatDeps';
import { ChatViewProvider } from '../../src/host/chatView';
import { createLog } from '../../src/host/log';
import type { HostMessage, UiChat, UiMessage, WebviewMessage } from '../../src/shared/protocol';
import { speedLine } from '../../src/webview/speedLine';
import { rawServer, type RawServer } from '../support/api';
import { collect } from '../support/collect';
import { CONTINUED_ANSWER, type RecordedRequest } from '../support/fixtureServer';
import { memento } from '../support/memento';
import { ERNIE_SECRET, expectedText, HTTP_KINDS, KIND_CASES, type HttpKind } from '../support/kinds';
import { requests as requestsSeen } from '../support/serverLog';

interface AskResult { text: string; finishReason: string; error?: { kind: string; message: string } }
interface ChatState { chats: UiChat[]; activeId: string; messages: UiMessage[]; streaming: boolean; posted: HostMessage[] }
interface Internals { logDir: string; globalStorageDir: string; chatDir: string; workspaceState: Record<string, unknown>; globalState: Record<string, unknown>; recorded: number }

const server = () => process.env.ASKLLM_TEST_SERVER!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chat = (message?: WebviewMessage) => vscode.commands.executeCommand<ChatState>('askLlm.test.chat', message);
const ask = (args: object) => vscode.commands.executeCommand<AskResult>('askLlm.ask', args);
const last = <T>(xs: T[]): T => xs[xs.length - 1];

async function api(): Promise<AskLlmApi> {
  return vscode.extensions.getExtension<AskLlmApi>('askllm.ask-llm')!.activate();
}

async function useProfiles(profiles: ProviderProfile[], active = profiles[0]?.id): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('askLlm');
  await cfg.update('providers', profiles, vscode.ConfigurationTarget.Global);
  await cfg.update('activeProvider', active ?? '', vscode.ConfigurationTarget.Global);
}

const requests = (prefix: string) => requestsSeen(prefix, true);

/** Polls `get` until `cond` holds. */
async function until<T>(get: () => PromiseLike<T>, cond: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (cond(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A log channel that goes nowhere (the chat views made by the reload test). */
const quietLog = new Proxy({}, { get: () => () => undefined }) as unknown as vscode.LogOutputChannel;

describe('reliability in the real extension host', function () {
  this.timeout(60_000);
  after(() => useProfiles([]));

  it('the chat shows a wait as a wait: the request accepted and nothing said, in seconds, counted on in a view that loads mid-wait; Stop ends it', async () => {
    await useProfiles([{ id: 'quiet', kind: 'openai', model: 'm', baseUrl: `${server()}/fx/quiet/replay/openai-chat-basic.sse/whole/quiet-chat/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY' }]);
    await vscode.commands.executeCommand('askLlm.newChat');
    const running = chat({ type: 'send', text: 'Are you there?' });
    const accepted = await until(chat, (s) => last(s.messages)?.role === 'assistant' && last(s.messages).stats?.provider === 'quiet', 'the response to begin');
    const answer = last(accepted.messages);
    assert.equal(answer.status, 'streaming');
    assert.equal(answer.stats?.firstTokenMs, undefined, 'no word yet');
    await sleep(2300);
    // What a view that loads now gets: the figures brought up to now, so its clock does not restart at 0.
    const shown = await chat({ type: 'ready' });
    const snapshot = shown.posted.find((m): m is Extract<HostMessage, { type: 'snapshot' }> => m.type === 'snapshot')!;
    const waiting = last(snapshot.messages);
    assert.ok((waiting.stats?.durationMs ?? 0) >= 2000, `durationMs ${waiting.stats?.durationMs}`);
    assert.match(speedLine(waiting.stats, 'streaming', waiting.stats!.durationMs), /^Waiting for the provider\u2026 [2-9] s$/);
    assert.equal(await vscode.commands.executeCommand('askLlm.stop'), true);
    const done = await running;
    assert.equal(last(done.messages).status, 'cancelled');
    const req = await until(() => requests('/fx/quiet/replay/openai-chat-basic.sse/whole/quiet-chat/'), (r) => r.length > 0 && last(r).closed, 'the server to see the stop');
    assert.ok(last(req).clientAborted, 'the connection was closed');
  });

  it('the log, once closed (the window going away disposes it first), drops lines instead of throwing into what still runs', () => {
    // A channel of its own: a second "Ask LLM" channel would take over the extension's log file.
    const log = createLog('Ask LLM (closed-log test)');
    log.info('before');
    log.dispose();
    assert.doesNotThrow(() => {
      log.info('after');
      log.error('after');
      log.appendLine('after');
    });
    assert.equal(log.name, 'Ask LLM (closed-log test)');
  });

  describe('a window reload mid-answer', () => {
    // A chat view and its history made anew from the same storage is what a reload (or a crash)
    // leaves the next session: the webview, the extension host and their memory are gone.
    let profile: ProviderProfile;
    const deps = async (): Promise<ChatDeps> => {
      const a = await api();
      return {
        streamEvents: (messages: ChatMessage[], opts) => a.streamEvents(messages, opts) as AsyncIterable<LlmEvent>,
        profile: () => profile,
        activeProvider: () => ({ id: profile.id, label: profile.id, model: profile.model, kind: profile.kind, isDemo: false }),
        onDidChangeProvider: new vscode.EventEmitter<void>().event,
        hintFor: () => undefined,
        log: quietLog,
        setBusy: () => undefined,
        warm: () => undefined,
      };
    };
    // The chat keeps its history in files under the storage folder (host/fileStore.ts).
    const contextWith = (storage: string) => ({
      workspaceState: memento().m, storageUri: vscode.Uri.file(storage), globalStorageUri: vscode.Uri.file(storage), extensionUri: vscode.Uri.file(os.tmpdir()),
    }) as unknown as vscode.ExtensionContext;
    const made: string[] = [];
    const storageDir = () => {
      made.push(fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-reload-')));
      return made[made.length - 1];
    };
    after(() => {
      for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Sends a question to a fresh chat over `state` and waits until the answer has streamed for a while (saved at least once). */
    async function midAnswer(state: string): Promise<{ view: ChatViewProvider; running: Promise<unknown> }> {
      const view = new ChatViewProvider(contextWith(state), await deps());
      await view.testHook();
      const running = view.testHook({ type: 'send', text: 'Explain streaming' });
      const first = await until(() => view.testHook(), (s) => last(s.messages)?.role === 'assistant' && last(s.messages).text.length > 0, 'the first words');
      assert.equal(last(first.messages).status, 'streaming');
      await sleep(1300); // the streaming answer is written about once a second
      return { view, running };
    }

    async function afterReload(state: string) {
      const view = new ChatViewProvider(contextWith(state), await deps());
      const shown = await view.testHook({ type: 'ready' });
      const answer = last(shown.messages);
      assert.equal(answer.status, 'cancelled');
      assert.equal(answer.finishReason, 'interrupted', 'marked interrupted (the view says "Interrupted (the window was reloaded)")');
      assert.ok(answer.text.length > 0 && CONTINUED_ANSWER.startsWith(answer.text) && answer.text.length < CONTINUED_ANSWER.length, `the partial answer: ${JSON.stringify(answer.text)}`);
      const snapshot = shown.posted.find((m): m is Extract<HostMessage, { type: 'snapshot' }> => m.type === 'snapshot');
      assert.equal(last(snapshot!.messages).finishReason, 'interrupted', 'what the view is sent');
      assert.equal(snapshot!.streaming, false);
      // Continue carries it on in the same message, to the whole answer.
      const continued = await view.testHook({ type: 'continue' });
      assert.equal(last(continued.messages).id, answer.id);
      assert.equal(last(continued.messages).text, CONTINUED_ANSWER, 'the whole answer, no seam');
      assert.equal(last(continued.messages).status, 'done');
      view.dispose();
      return answer;
    }

    before(async () => {
      profile = { id: 'reload', kind: 'openai', model: 'm', baseUrl: `${server()}/cont/12/v1`, apiKeyEnv: 'ASKLLM_TEST_KEY', continuation: 'native' };
      await useProfiles([profile]);
    });

    it('the view opening and the user typing each ask for the connection to be opened ahead (no question sent)', async () => {
      let warmed = 0;
      const view = new ChatViewProvider(contextWith(storageDir()), { ...(await deps()), warm: () => { warmed++; } });
      await view.testHook({ type: 'ready' });
      const state = await view.testHook({ type: 'typing' });
      assert.equal(warmed, 2);
      assert.equal(state.messages.length, 0);
      assert.equal(state.streaming, false);
      view.dispose();
    });

    it('a reload (the extension is deactivated): the next session shows the partial answer interrupted, and Continue finishes it', async () => {
      const dir = storageDir();
      const { view, running } = await midAnswer(dir);
      view.dispose(); // what deactivation does: the answer in flight ends as interrupted, not as a Stop
      await running;
      await afterReload(dir);
    });

    it('a crash (nothing runs at all): what was saved about a second ago comes back interrupted, and Continue finishes it', async () => {
      const dir = storageDir();
      const { view, running } = await midAnswer(dir);
      // The storage as the crash left it: the streaming answer as last saved, still "streaming".
      const crashed = storageDir();
      fs.cpSync(dir, crashed, { recursive: true });
      const saved = fs.readdirSync(path.join(crashed, 'chats')).map((f) => JSON.parse(fs.readFileSync(path.join(crashed, 'chats', f), 'utf8')) as UiMessage);
      assert.ok(saved.some((v) => v?.status === 'streaming' && v.text.length > 0), 'saved mid-answer, with text');
      view.dispose();
      await running;
      await afterReload(crashed);
    });
  });

  it('eight streams at once (the chat, two documents, five API calls; eight kinds) never mix, and all end well', async function () {
    this.timeout(120_000);
    // Each answer dripped by the server in 80 writes 40 ms apart (over 3 s), so that all eight are in flight together.
    const drip = `${server()}/fx/drip:40:n80`;
    const chatKind: HttpKind = 'openai';
    const docKinds: HttpKind[] = ['anthropic', 'gemini'];
    const apiKinds: HttpKind[] = ['openai-responses', 'ollama', 'dashscope', 'ernie', 'sse'];
    const profileOf = (kind: HttpKind): ProviderProfile => ({ ...KIND_CASES[kind].profile(drip, `eight-${kind}`), apiKeyEnv: 'ASKLLM_TEST_KEY', secretKeyEnv: 'ASKLLM_TEST_ERNIE_SECRET' });
    await useProfiles([chatKind, ...docKinds, ...apiKinds].map(profileOf), `eight-${chatKind}`);
    await vscode.commands.executeCommand('askLlm.newChat');
    await chat();
    const a = await api();
    const t0 = performance.now();
    const times: Record<string, { first?: number; done?: number }> = {};
    const mark = (name: string, what: 'first' | 'done') => {
      times[name] ??= {};
      times[name][what] ??= performance.now() - t0;
    };
    const chatRun = (async () => {
      const watch = (async () => {
        await until(chat, (s) => (last(s.messages)?.text.length ?? 0) > 0 && last(s.messages).role === 'assistant', 'chat text', 60_000);
        mark('chat', 'first');
      })();
      const state = await chat({ type: 'send', text: 'eight at once: chat' });
      mark('chat', 'done');
      await watch;
      return state;
    })();
    const docRuns = docKinds.map(async (kind) => {
      const result = await ask({ prompt: `eight at once: ${kind}`, provider: `eight-${kind}`, target: 'newDocument' });
      mark(kind, 'done');
      return result;
    });
    const apiRuns = apiKinds.map((kind) => collect(a.streamEvents(`eight at once: ${kind}`, { provider: `eight-${kind}` }), (ev) => {
      if (ev.type === 'text') mark(kind, 'first');
    }).then((got) => {
      mark(kind, 'done');
      return got;
    }));
    const [chatState, docs, apis] = await Promise.all([chatRun, Promise.all(docRuns), Promise.all(apiRuns)]);
    const wallMs = performance.now() - t0;

    const answer = last(chatState.messages);
    assert.equal(answer.text, expectedText(chatKind), 'the chat got its own answer');
    assert.equal(answer.status, 'done');
    docKinds.forEach((kind, i) => {
      assert.deepEqual({ text: docs[i].text, finishReason: docs[i].finishReason }, { text: expectedText(kind), finishReason: 'stop' }, kind);
      assert.ok(vscode.workspace.textDocuments.some((d) => d.isUntitled && d.getText() === expectedText(kind)), `${kind}: its document holds its answer alone`);
    });
    apiKinds.forEach((kind, i) => {
      assert.equal(apis[i].text, expectedText(kind), kind);
      assert.equal(apis[i].terminal?.type, 'end', `${kind}: ${JSON.stringify(apis[i].terminal)}`);
      assert.equal(apis[i].starts, 1);
    });
    // They really overlapped, as the server saw them: every answer's request had arrived before any of them ended.
    const served = (await requests('/fx/drip:40:n80/')).filter((r) => /\/eight-/.test(r.url) && !r.url.includes('/oauth/'));
    const byKind = [chatKind, ...docKinds, ...apiKinds].map((kind) => served.filter((r) => r.url.includes(`/eight-${kind}/`)).pop());
    assert.ok(byKind.every(Boolean), `the server saw all eight: ${served.map((r) => r.url).join(', ')}`);
    const arrived = Math.max(...byKind.map((r) => r!.receivedAt));
    const firstClosed = Math.min(...byKind.map((r) => r!.closedAt ?? Infinity));
    assert.ok(arrived < firstClosed, `all eight in flight at once: the last arrived ${(arrived - firstClosed).toFixed(0)} ms after the first ended`);
    const firsts = Object.values(times).filter((t) => t.first !== undefined).map((t) => t.first!);
    const dones = Object.values(times).map((t) => t.done!);
    console.log(`      eight streams at once: wall ${wallMs.toFixed(0)} ms; all eight in flight together for ${(firstClosed - arrived).toFixed(0)} ms (server side); first text ${Math.min(...firsts).toFixed(0)}–${Math.max(...firsts).toFixed(0)} ms, done ${Math.min(...dones).toFixed(0)}–${Math.max(...dones).toFixed(0)} ms`);
    for (let i = 0; i < docKinds.length; i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  describe('the flight recorder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-flight-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('an answer streamed into the chat, saved as a fixture, replayed into the chat and into a document: the same text, at its pace or 10\u00d7', async function () {
      this.timeout(120_000);
      // Dripped: 100 pieces about 30 ms apart, so the timing is worth replaying.
      await useProfiles([{ id: 'flight', kind: 'dashscope', model: 'qwen-plus', baseUrl: `${server()}/fx/drip:30:n100/replay/dashscope-incremental.sse/whole/flight`, apiKeyEnv: 'ASKLLM_TEST_KEY' }]);
      await vscode.commands.executeCommand('askLlm.newChat');
      const t0 = performance.now();
      const original = last((await chat({ type: 'send', text: 'Write a short autumn poem' })).messages);
      const originalMs = performance.now() - t0;
      assert.equal(original.text, expectedText('dashscope'));
      const saved = await vscode.commands.executeCommand<{ raw: string; expected: string }>('askLlm.saveLastStream', { path: path.join(dir, 'autumn.sse') });
      assert.equal(saved.raw, path.join(dir, 'autumn.sse'));
      const raw = fs.readFileSync(saved.raw);
      const expected = JSON.parse(fs.readFileSync(saved.expected, 'utf8')) as { fixture: string; protocol: string; expected: { text: string }; replay: { split_at_byte_offsets: number[]; arrival_ms: number[] }; askllm: { question: string; profile: { kind: string } }; request_headers: Record<string, string> };
      assert.equal(expected.fixture, 'autumn.sse');
      assert.equal(expected.protocol, 'dashscope-sse');
      assert.equal(expected.expected.text, original.text);
      assert.equal(expected.askllm.question, 'Write a short autumn poem');
      assert.ok(expected.replay.split_at_byte_offsets.length >= 20, `${expected.replay.split_at_byte_offsets.length} pieces`);
      assert.equal(expected.request_headers.authorization, 'Bearer ‹redacted›');
      const text = raw.toString('utf8') + JSON.stringify(expected);
      assert.ok(!text.includes(process.env.ASKLLM_TEST_KEY!), 'no key in the saved files');

      /** Replays into the chat; the answer's own duration (the fold's, request to end) says the pace. */
      const replayInChat = async (speed: number) => {
        await vscode.commands.executeCommand('askLlm.newChat');
        const result = await vscode.commands.executeCommand<AskResult>('askLlm.replayStream', { path: saved.raw, target: 'chat', speed });
        assert.deepEqual(result, { text: original.text, finishReason: 'stop' });
        const shown = last((await chat()).messages);
        assert.equal(shown.text, original.text, 'the chat shows the replayed answer');
        assert.match(shown.model ?? '', /Replay of autumn\.sse/);
        return shown.stats!.durationMs;
      };
      const replay1xMs = await replayInChat(1);
      const replay10xMs = await replayInChat(10);
      const inDoc = await vscode.commands.executeCommand<AskResult>('askLlm.replayStream', { path: saved.expected, target: 'newDocument', speed: 10 });
      assert.deepEqual(inDoc, { text: original.text, finishReason: 'stop' });
      assert.equal(vscode.window.activeTextEditor?.document.getText(), original.text, 'and into a document');
      const span = last(expected.replay.arrival_ms);
      console.log(`      flight recorder: original ${originalMs.toFixed(0)} ms (its ${expected.replay.arrival_ms.length} pieces over ${span.toFixed(0)} ms); replayed answer 1\u00d7 ${replay1xMs.toFixed(0)} ms, 10\u00d7 ${replay10xMs.toFixed(0)} ms`);
      assert.ok(replay1xMs >= span * 0.9, '1\u00d7 keeps the recorded pace');
      assert.ok(replay10xMs < replay1xMs / 3, '10\u00d7 is much faster');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      assert.ok(!vscode.workspace.getConfiguration('askLlm').get<ProviderProfile[]>('providers')!.some((p) => p.id.startsWith('replay-')), 'the replay\u2019s profile never reached the settings');
    });
  });

  describe('secrets: a known key through every kind, then searched for everywhere', () => {
    const stamp = Date.now().toString(36);
    const KEY = `sk-canary-int-${stamp}-Qx7`;
    const SECRET = `${ERNIE_SECRET}-canary-int-${stamp}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-secrets-'));
    let echo: RawServer;
    const seen: string[] = [];
    before(async () => {
      process.env.ASKLLM_CANARY_KEY = KEY;
      process.env.ASKLLM_CANARY_SECRET = SECRET;
      // A gateway that quotes the credentials it got in its error body (ERNIE's token request too).
      echo = await rawServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const creds = [req.headers.authorization, req.headers['api-key'], req.headers['x-api-key'], req.headers['x-goog-api-key'], url.searchParams.get('client_id'), url.searchParams.get('client_secret')].filter(Boolean).join(' and ');
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${creds}`, type: 'invalid_request_error', code: 'invalid_api_key' }, error_description: `unknown client ${creds}` }));
      });
    });
    after(async () => {
      delete process.env.ASKLLM_CANARY_KEY;
      delete process.env.ASKLLM_CANARY_SECRET;
      await echo.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const withKey = (p: ProviderProfile): ProviderProfile => ({ ...p, apiKeyEnv: 'ASKLLM_CANARY_KEY', secretKeyEnv: 'ASKLLM_CANARY_SECRET', maxRetries: 0 });
    const scenarios = (kind: HttpKind): ProviderProfile[] => {
      const c = KIND_CASES[kind];
      return [
        withKey(c.profile(server(), `s-${kind}-ok`)),
        withKey(c.profile(echo.url, `s-${kind}-echo`)),
        { ...withKey(c.profile(`${server()}/fx/stall:${c.partial}`, `s-${kind}-timeout`)), timeouts: { idleMs: 300 } },
      ];
    };

    it('every kind: the chat, a document and the API, answered, refused with the key echoed, timed out; each saved by the flight recorder', async function () {
      this.timeout(300_000);
      const all = HTTP_KINDS.flatMap(scenarios);
      await useProfiles(all);
      const a = await api();
      for (const kind of HTTP_KINDS) {
        for (const profile of scenarios(kind)) {
          await vscode.workspace.getConfiguration('askLlm').update('activeProvider', profile.id, vscode.ConfigurationTarget.Global);
          await vscode.commands.executeCommand('askLlm.newChat');
          const state = await chat({ type: 'send', text: `a private question for ${profile.id}` });
          seen.push(JSON.stringify(state));
          const file = path.join(dir, `${profile.id}.sse`);
          const saved = await vscode.commands.executeCommand<{ raw: string; expected: string } | undefined>('askLlm.saveLastStream', { path: file });
          if (saved) seen.push(`[saved ${profile.id}] ${fs.readFileSync(saved.raw, 'latin1')} ${fs.readFileSync(saved.raw, 'utf8')} ${fs.readFileSync(saved.expected, 'utf8')}`);
          const got = await collect(a.streamEvents('hi', { provider: profile.id }));
          seen.push(`[api ${profile.id}] ${JSON.stringify(got.events)}`);
          try {
            seen.push(`[invoke ${profile.id}] ${await a.invoke('hi', { provider: profile.id })}`);
          } catch (err) {
            seen.push(`[invoke threw ${profile.id}] ${String(err)} ${(err as Error).stack} ${JSON.stringify((err as { info?: unknown }).info)}`);
          }
        }
        const doc = await ask({ prompt: 'hi', provider: `s-${kind}-echo`, target: 'newDocument' });
        seen.push(`[ask ${kind}] ${JSON.stringify(doc)} ${vscode.window.activeTextEditor?.document.getText()}`);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
      // The run was real: the key went out, servers quoted it back, answers came.
      assert.ok(echo.seen.some((r) => JSON.stringify(r.headers).includes(KEY) || r.url.includes(encodeURIComponent(KEY))), 'the key was sent');
      assert.ok(seen.some((s) => s.includes('Incorrect API key provided: ') && s.includes('‹redacted›')), 'the echoed key was heard, and replaced');
      assert.ok(seen.some((s) => s.includes(expectedText('dashscope'))), 'answers came');
      assert.ok(fs.readdirSync(dir).filter((f) => f.endsWith('.expected.json')).length >= HTTP_KINDS.length * 2, 'the flight recorder saved them');
    });

    it('none of it holds the key or the secret key in any spelling: the log, the settings, the chat history storage, what the webview was sent, every error, the saved streams', async () => {
      const internals = await vscode.commands.executeCommand<Internals>('askLlm.test.internals');
      const files = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d, { recursive: true }).map((f) => path.join(d, String(f))).filter((f) => fs.statSync(f).isFile()) : []);
      // The Output channel is written to a file in the extension's log folder (flushed a little later).
      const logText = await until(async () => files(internals.logDir).map((f) => fs.readFileSync(f, 'utf8')).join('\n'), (t) => t.includes('s-sse-timeout'), 'the log to be written', 20_000);
      assert.ok(logText.includes('s-openai-echo') && logText.includes('\u2717 auth'), 'the log has the refused requests');
      const userDir = path.dirname(path.dirname(internals.globalStorageDir));
      const settingsFile = path.join(userDir, 'settings.json');
      const haystacks: Array<[string, string]> = [
        ['log', logText],
        ['settings.json', fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : ''],
        ['settings', JSON.stringify(vscode.workspace.getConfiguration('askLlm').inspect('providers'))],
        ['chat history (its files)', files(internals.chatDir).map((f) => fs.readFileSync(f, 'latin1')).join('\n')],
        ['workspaceState', JSON.stringify(internals.workspaceState)],
        ['globalState', JSON.stringify(internals.globalState)],
        ['global storage files', files(internals.globalStorageDir).map((f) => fs.readFileSync(f, 'latin1')).join('\n')],
        ['chat, webview posts, errors, API, documents, saved streams', seen.join('\n')],
      ];
      assert.ok(fs.existsSync(settingsFile), `settings at ${settingsFile}`);
      assert.ok(files(internals.chatDir).length > 0, `the chat history is there, in ${internals.chatDir}`);
      const spellings = [KEY, SECRET, encodeURIComponent(KEY), encodeURIComponent(SECRET), KEY.slice(0, -3), SECRET.slice(0, -3), Buffer.from(KEY).toString('base64').slice(0, 20)];
      const leaks = haystacks.flatMap(([where, text]) => spellings.filter((s) => text.includes(s)).map((s) => `${s} in ${where}: …${text.slice(Math.max(0, text.indexOf(s) - 200), text.indexOf(s) + 60)}…`));
      assert.deepEqual(leaks, []);
    });
  });
});
