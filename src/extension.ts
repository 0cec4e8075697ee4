import * as vscode from 'vscode';
import { createApi, resolveProfile, type AskLlmApi } from './api';
import { hintFor, safeOrigin } from './core/errors';
import { FlightRecorder } from './core/flightRecorder';
import { setTranslator } from './core/l10n';
import { baseUrlOf, labelOf } from './core/profiles';
import { Review } from './host/review';
import { AskCommand, askResult, type AskResult } from './host/askCommand';
import type { ChatDeps } from './host/chatDeps';
import { ChatViewProvider } from './host/chatView';
import { Config } from './host/config';
import { createLog } from './host/log';
import { FlightCommands } from './host/flightCommands';
import { ProviderPicker } from './host/providerPicker';
import { Keys } from './host/secrets';
import { StatusBar } from './host/statusBar';
import { VscodeLmAdapter } from './host/vscodeLm';
import { registerVscodeIntegration } from './host/vscodeIntegration';
import { registerAdapter } from './providers';
import { preconnect } from './providers/network';
import type { ProviderProfile } from './core/types';
import type { UiProvider } from './shared/protocol';

/** Builds the objects, registers them, returns the public API. Nothing else. */
export function activate(context: vscode.ExtensionContext): AskLlmApi {
  // Messages made in core/ and providers/ (errors, hints, the doctor's report) in VS Code's display language.
  setTranslator((message, args) => vscode.l10n.t(message, ...args));
  const log = createLog();
  registerAdapter('vscode-lm', new VscodeLmAdapter());
  const config = new Config(log);
  const keysChanged = new vscode.EventEmitter<void>();
  const keys = new Keys(context.secrets, keysChanged);
  const status = new StatusBar();
  const picker = new ProviderPicker(config, keys);
  // The last answers' raw responses, in memory only, for "Save Last Stream…".
  const recorder = new FlightRecorder();
  const api = createApi({
    profiles: () => config.profiles(),
    activeProfileId: () => config.activeProfileId(),
    profileProblem: (id) => config.profileProblem(id),
    // A replay's temporary profile talks to its local server: a stand-in key, never a real one.
    keysFor: (p) => (config.isTemporary(p.id) ? Promise.resolve({ apiKey: 'replay', secretKey: 'replay' }) : keys.get(p)),
    systemPrompt: () => config.systemPrompt(),
    log: (level, message) => log[level](message),
    recorder,
  });

  const uiProvider = (): UiProvider | undefined => {
    const p = config.activeProfile();
    return p && { id: p.id, label: labelOf(p), model: p.model, kind: p.kind, isDemo: p.id === 'demo' };
  };
  const providerChanged = new vscode.EventEmitter<void>();
  const showProvider = () => {
    const p = uiProvider();
    status.setProvider(p?.label, p?.model);
    providerChanged.fire();
  };
  showProvider();

  /**
   * While the user types the question: the provider's keys read from SecretStorage (a round trip to
   * the workbench, 150 ms for the first question after a start in the bench's hop) and its
   * connection opened (providers/network.ts).
   */
  const warm = (p: ProviderProfile) => {
    if (!config.isTemporary(p.id)) void keys.get(p).catch(() => undefined);
    void preconnect(p).then((sent) => sent && log.debug(`warm-up: ${safeOrigin(baseUrlOf(p))} (${p.id})`));
  };
  const chatDeps: ChatDeps = {
    streamEvents: (messages, opts) => api.streamEvents(messages, opts),
    profile: (id) => (id ? resolveProfile(config, id) : undefined) ?? resolveProfile(config),
    activeProvider: uiProvider,
    onDidChangeProvider: providerChanged.event,
    hintFor: (error) => hintFor(error, uiProvider()?.label),
    log,
    setBusy: (source, busy) => status.setBusy(source, busy),
    warm: () => {
      const p = resolveProfile(config);
      if (p) warm(p);
    },
  };
  const chat = new ChatViewProvider(context, chatDeps);
  const review = new Review();
  const ask = new AskCommand({
    api, config, log, status, review, warm,
    askInChat: async (prompt) => {
      await chat.reveal();
      return askResult(await chat.ask(prompt));
    },
  });
  const flight = new FlightCommands({
    recorder, config, log,
    askInChat: async (prompt, from) => {
      await chat.reveal();
      return chat.ask(prompt, from);
    },
    askInDocument: (args) => ask.run(args),
  });

  // askLlm.continue carries on the most recent cut answer: the chat's or a document's.
  const continueLatest = async (): Promise<AskResult | undefined> => {
    const editorCutAt = ask.cutEndedAt();
    const chatCutAt = chat.cutEndedAt();
    if (chatCutAt !== undefined && (editorCutAt === undefined || chatCutAt >= editorCutAt)) {
      await chat.reveal();
      const whole = await chat.continueLast();
      return whole && askResult(whole);
    }
    return ask.continue();
  };

  context.subscriptions.push(
    log, config, status, keysChanged, providerChanged, chat, ask, review,
    config.onDidChange(showProvider),
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, chat),
    vscode.commands.registerCommand('askLlm.ask', (args?: unknown) => ask.run(args)),
    vscode.commands.registerCommand('askLlm.rewriteSelection', () => ask.rewrite()),
    vscode.commands.registerCommand('askLlm.continue', continueLatest),
    vscode.commands.registerCommand('askLlm.stop', () => {
      const stopped = [ask.stopAll(), chat.stop()].some(Boolean);
      if (stopped) log.info('stopped by the user');
      return stopped;
    }),
    vscode.commands.registerCommand('askLlm.openChat', () => chat.reveal()),
    vscode.commands.registerCommand('askLlm.newChat', async () => {
      await chat.reveal();
      await chat.newChat();
    }),
    vscode.commands.registerCommand('askLlm.exportChat', () => chat.exportChat()),
    vscode.commands.registerCommand('askLlm.setApiKey', (profileId?: unknown) => picker.setKey(typeof profileId === 'string' ? profileId : undefined)),
    vscode.commands.registerCommand('askLlm.selectProvider', () => picker.select()),
    vscode.commands.registerCommand('askLlm.saveLastStream', (args?: unknown) => flight.save(args)),
    vscode.commands.registerCommand('askLlm.replayStream', (args?: unknown) => flight.replay(args)),
    ...registerVscodeIntegration({ context, api, config, keys, log }),
  );
  // The integration tests drive the chat's message handler through this (test/integration/chat.test.ts).
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    context.subscriptions.push(vscode.commands.registerCommand('askLlm.test.chat', (message?: unknown) => chat.testHook(message)));
    // Where the extension keeps things, for the secrets test (test/integration/reliability.test.ts): its log folder, its storage.
    context.subscriptions.push(vscode.commands.registerCommand('askLlm.test.internals', () => ({
      logDir: context.logUri.fsPath,
      globalStorageDir: context.globalStorageUri.fsPath,
      chatDir: chat.historyDir,
      workspaceState: Object.fromEntries(context.workspaceState.keys().map((k) => [k, context.workspaceState.get(k)])),
      globalState: Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
      recorded: recorder.list().length,
    })));
  }
  const loadStart = (globalThis as { __askLlmLoadStart?: number }).__askLlmLoadStart;
  const activationMs = loadStart === undefined ? undefined : performance.now() - loadStart;
  log.info(`activated in ${activationMs?.toFixed(1) ?? '?'} ms (bundle load + activate); ${config.profiles().length} provider profile(s), active: ${config.activeProfile()?.id ?? 'none'}`);
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
