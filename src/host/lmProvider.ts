// Our profiles as VS Code language models (vendor `askllm`): `vscode.lm.selectChatModels({ vendor:
// 'askllm' })` lists every profile that is not itself `vscode-lm` (id = profile id), and a request
// to one streams through our pipeline, so VS Code's chat and other extensions can use DashScope,
// ERNIE or a local vLLM. Declared in package.json `contributes.languageModelChatProviders`.
import * as vscode from 'vscode';
import { foldAnswer, type Sink } from '../core/answer';
import { hintFor } from '../core/errors';
import { estimateTokens, modelListings } from '../core/modelInfo';
import { baseUrlOf, labelOf } from '../core/profiles';
import type { CallOptions, ChatMessage, LlmEvent, ProviderProfile } from '../core/types';

export const VENDOR = 'askllm';

/** User-facing strings of this file, in one place. */
const TEXT = {
  gone: (id: string) => vscode.l10n.t('Ask LLM has no provider profile "{0}" any more (askLlm.providers changed).', id),
  loop: (id: string) => vscode.l10n.t('The Ask LLM profile "{0}" uses VS Code\'s own models, so it is not offered as one.', id),
  failed: (label: string, message: string, hint?: string) => `${label}: ${message}${hint ? ` ${hint}` : ''}`,
};

export interface LmProviderDeps {
  profiles(): ProviderProfile[];
  readonly onDidChangeProfiles: vscode.Event<void>;
  streamEvents(messages: ChatMessage[], opts: CallOptions): AsyncIterable<LlmEvent>;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
}

/** The proposed-API thinking part, where this VS Code has it (found at run time, never required). */
const ThinkingPart = (vscode as unknown as { LanguageModelThinkingPart?: new (value: string) => vscode.LanguageModelResponsePart }).LanguageModelThinkingPart;

/** The text a message part carries for a text-only model: text, tool results, text data. */
function partText(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) return part.value;
  if (part instanceof vscode.LanguageModelToolResultPart) return part.content.map(partText).join('');
  if (part instanceof vscode.LanguageModelDataPart && /^text\/|json/.test(part.mimeType)) return new TextDecoder().decode(part.data);
  const value = (part as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' && !(part instanceof vscode.LanguageModelToolCallPart) ? value : '';
}

/** VS Code's request messages as ours. Role 3 is the proposed System role. */
export function messagesOf(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const content = m.content.map(partText).join('');
    const role = m.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : (m.role as number) === 3 ? 'system' : 'user';
    if (content || role === 'user') out.push({ role, content });
  }
  return out;
}

export class AskLlmModels implements vscode.LanguageModelChatProvider {
  readonly onDidChangeLanguageModelChatInformation: vscode.Event<void>;

  constructor(private readonly deps: LmProviderDeps) {
    this.onDidChangeLanguageModelChatInformation = deps.onDidChangeProfiles;
  }

  provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
    const where = (p: ProviderProfile) => (p.kind === 'sse' ? p.url ?? '' : baseUrlOf(p));
    return modelListings(this.deps.profiles(), where).map((m) => ({ ...m, capabilities: { toolCalling: false, imageInput: false } }));
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const profile = this.deps.profiles().find((p) => p.id === model.id);
    if (!profile) throw vscode.LanguageModelError.NotFound(TEXT.gone(model.id));
    // Never round again into VS Code's models: that could be this very model.
    if (profile.kind === 'vscode-lm') throw vscode.LanguageModelError.NotFound(TEXT.loop(profile.id));
    const controller = new AbortController();
    const onCancel = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    const sink: Sink = {
      write: (batch) => {
        if (batch.reasoning && ThinkingPart) progress.report(new ThinkingPart(batch.reasoning));
        if (batch.text) progress.report(new vscode.LanguageModelTextPart(batch.text));
      },
      finish: () => undefined,
    };
    const params = options.modelOptions && Object.keys(options.modelOptions).length ? { ...options.modelOptions } : undefined;
    try {
      const outcome = await foldAnswer(
        this.deps.streamEvents(messagesOf(messages), { provider: profile.id, signal: controller.signal, ...(params ? { params } : {}) }),
        [sink],
        { onSinkError: (err) => this.deps.log.warn(`language model "${profile.id}": ${err instanceof Error ? err.message : String(err)}`) },
      );
      if (outcome.error && !token.isCancellationRequested) {
        // The text so far has already reached the caller; the error ends its stream.
        const hint = outcome.error.message.includes('Ask LLM:') ? undefined : hintFor(outcome.error, labelOf(profile));
        throw new Error(TEXT.failed(labelOf(profile), outcome.error.message, hint));
      }
    } finally {
      onCancel.dispose();
    }
  }

  async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return estimateTokens(typeof text === 'string' ? text : text.content.map(partText).join(''));
  }
}

export function registerLanguageModels(deps: LmProviderDeps): vscode.Disposable {
  return vscode.lm.registerLanguageModelChatProvider(VENDOR, new AskLlmModels(deps));
}
