import * as vscode from 'vscode';
import { createApi, type AskLlmApi } from './api';
import { hintFor } from './core/errors';
import { labelOf } from './core/profiles';
import { Review } from './host/review';
import { AskCommand, askResult } from './host/askCommand';
import type { ChatDeps } from './host/chatDeps';
import { ChatViewProvider } from './host/chatView';
import { Config } from './host/config';
import { createLog } from './host/log';
import { ProviderPicker } from './host/providerPicker';
import { Keys } from './host/secrets';
import { StatusBar } from './host/statusBar';
import { VscodeLmAdapter } from './host/vscodeLm';
import { registerAdapter } from './providers';
import type { UiProvider } from './shared/protocol';

/** Builds the objects, registers them, returns the public API. Nothing else. */
export function activate(context: vscode.ExtensionContext): AskLlmApi {
  const log = createLog();
  registerAdapter('vscode-lm', new VscodeLmAdapter());
  const config = new Config(log);
  const keysChanged = new vscode.EventEmitter<void>();
  const keys = new Keys(context.secrets, keysChanged);
  const status = new StatusBar();
  const picker = new ProviderPicker(config, keys);
  const api = createApi({
    profiles: () => config.profiles(),
    activeProfileId: () => config.activeProfileId(),
    keysFor: (p) => keys.get(p),
    systemPrompt: () => config.systemPrompt(),
    log: (level, message) => log[level](message),
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

  const chatDeps: ChatDeps = {
    streamEvents: (messages, opts) => api.streamEvents(messages, opts),
    activeProvider: uiProvider,
    onDidChangeProvider: providerChanged.event,
    hintFor: (error) => hintFor(error, uiProvider()?.label),
    log,
    setBusy: (source, busy) => status.setBusy(source, busy),
  };
  const chat = new ChatViewProvider(context, chatDeps);
  const review = new Review();
  const ask = new AskCommand({
    api, config, log, status, review,
    askInChat: async (prompt) => {
      await chat.reveal();
      return askResult(await chat.ask(prompt));
    },
  });

  context.subscriptions.push(
    log, config, status, keysChanged, providerChanged, chat, ask, review,
    config.onDidChange(showProvider),
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, chat),
    vscode.commands.registerCommand('askLlm.ask', (args?: unknown) => ask.run(args)),
    vscode.commands.registerCommand('askLlm.rewriteSelection', () => ask.rewrite()),
    vscode.commands.registerCommand('askLlm.continue', () => ask.continue()),
    vscode.commands.registerCommand('askLlm.stop', () => {
      const stopped = [ask.stopAll(), chat.stop()].some(Boolean);
      if (stopped) log.info('stopped by the user');
      return stopped;
    }),
    vscode.commands.registerCommand('askLlm.openChat', () => chat.reveal()),
    vscode.commands.registerCommand('askLlm.newChat', async () => {
      await chat.reveal();
      chat.newChat();
    }),
    vscode.commands.registerCommand('askLlm.setApiKey', (profileId?: unknown) => picker.setKey(typeof profileId === 'string' ? profileId : undefined)),
    vscode.commands.registerCommand('askLlm.selectProvider', () => picker.select()),
  );
  const loadStart = (globalThis as { __askLlmLoadStart?: number }).__askLlmLoadStart;
  const activationMs = loadStart === undefined ? undefined : performance.now() - loadStart;
  log.info(`activated in ${activationMs?.toFixed(1) ?? '?'} ms (bundle load + activate); ${config.profiles().length} provider profile(s), active: ${config.activeProfile()?.id ?? 'none'}`);
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
