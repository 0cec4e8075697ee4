// Ask LLM inside VS Code's own AI features: the `@ask` chat participant, our profiles as language
// models (vendor `askllm`), the provider doctor, and the walkthrough. extension.ts calls this once.
import * as vscode from 'vscode';
import type { AskLlmApi } from '../api';
import type { Config } from './config';
import { ProviderDoctor } from './doctor';
import { registerLanguageModels } from './lmProvider';
import { chatHandler, registerParticipant } from './participant';
import type { Keys } from './secrets';

export const WALKTHROUGH_ID = 'askllm.ask-llm#askLlm.start';
/** The walkthrough's `when`: true a while after activation (see below), or once asked for. */
const WALKTHROUGH_KEY = 'askLlm.walkthroughReady';
/**
 * VS Code opens a newly installed extension's walkthrough by itself when its `when` holds at that
 * moment (it decides within 5 s of registering the extension). The key turns true later, so
 * nothing opens on install; on update nothing opens anyway (the walkthrough was seen before).
 */
const WALKTHROUGH_DELAY_MS = 10_000;

export interface IntegrationDeps {
  context: vscode.ExtensionContext;
  api: AskLlmApi;
  config: Config;
  keys: Keys;
  log: vscode.LogOutputChannel;
}

export function registerVscodeIntegration(deps: IntegrationDeps): vscode.Disposable[] {
  const { context, api, config, keys, log } = deps;
  const participantDeps = { streamEvents: api.streamEvents, activeProfile: () => config.activeProfile(), log };
  const doctor = new ProviderDoctor({ config, keys, api, log });
  const showWalkthrough = () => vscode.commands.executeCommand('setContext', WALKTHROUGH_KEY, true);
  const timer = setTimeout(showWalkthrough, WALKTHROUGH_DELAY_MS);
  const out: vscode.Disposable[] = [
    registerParticipant(participantDeps, context.extensionUri),
    registerLanguageModels({ profiles: () => config.profiles(), onDidChangeProfiles: config.onDidChange, streamEvents: api.streamEvents, log }),
    vscode.commands.registerCommand('askLlm.testProvider', (arg?: unknown) => doctor.run(arg)),
    vscode.commands.registerCommand('askLlm.openWalkthrough', async () => {
      await showWalkthrough();
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
    }),
    { dispose: () => clearTimeout(timer) },
  ];
  // The integration tests call the participant's real handler through this (test/integration/vscodeChat.test.ts):
  // a command registered in this extension host gets its arguments as they are, a fake response stream included.
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    const handler = chatHandler(participantDeps);
    out.push(vscode.commands.registerCommand('askLlm.test.participant', (request: vscode.ChatRequest, ctx: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken) => handler(request, ctx, stream, token)));
  }
  return out;
}
