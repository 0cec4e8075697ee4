// Provider kind → adapter. A new wire protocol is one new file and one line here.
import type { ProviderAdapter, ProviderKind } from '../core/types';
import { AnthropicAdapter } from './anthropic';
import { AzureOpenAiAdapter } from './azure';
import { DashScopeAdapter } from './dashscope';
import { ErnieAdapter } from './ernie';
import { GeminiAdapter } from './gemini';
import { OllamaAdapter } from './ollama';
import { OpenAiChatAdapter } from './openai';
import { OpenAiCompletionsAdapter } from './openaiCompletions';
import { OpenAiResponsesAdapter } from './openaiResponses';
import { GenericSseAdapter } from './sseGeneric';

const adapters: Partial<Record<ProviderKind, ProviderAdapter>> = {
  openai: new OpenAiChatAdapter(),
  dashscope: new DashScopeAdapter(),
  ernie: new ErnieAdapter(),
  ollama: new OllamaAdapter(),
  sse: new GenericSseAdapter(),
  anthropic: new AnthropicAdapter(),
  gemini: new GeminiAdapter(),
  'azure-openai': new AzureOpenAiAdapter(),
  'openai-completions': new OpenAiCompletionsAdapter(),
  'openai-responses': new OpenAiResponsesAdapter(),
};

/** Registers an adapter built outside providers/ (vscode-lm lives in host/ because it needs 'vscode'). */
export function registerAdapter(kind: ProviderKind, adapter: ProviderAdapter): void {
  adapters[kind] = adapter;
}

export function adapterFor(kind: ProviderKind): ProviderAdapter | undefined {
  return adapters[kind];
}
