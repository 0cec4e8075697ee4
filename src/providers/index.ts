// Provider kind → adapter. A new wire protocol is one new file and one line here. Adapters (and
// the openai SDK) load on first use, not at activation: esbuild keeps these dynamic imports lazy.
import type { ProviderAdapter, ProviderKind } from '../core/types';

/** Every kind but vscode-lm (which needs 'vscode' and is registered from host/): the compiler checks none is missing. */
const factories: Record<Exclude<ProviderKind, 'vscode-lm'>, () => Promise<ProviderAdapter>> = {
  openai: async () => new (await import('./openai')).OpenAiChatAdapter(),
  'openai-completions': async () => new (await import('./openaiCompletions')).OpenAiCompletionsAdapter(),
  'openai-responses': async () => new (await import('./openaiResponses')).OpenAiResponsesAdapter(),
  'azure-openai': async () => new (await import('./azure')).AzureOpenAiAdapter(),
  anthropic: async () => new (await import('./anthropic')).AnthropicAdapter(),
  gemini: async () => new (await import('./gemini')).GeminiAdapter(),
  ollama: async () => new (await import('./ollama')).OllamaAdapter(),
  dashscope: async () => new (await import('./dashscope')).DashScopeAdapter(),
  ernie: async () => new (await import('./ernie')).ErnieAdapter(),
  sse: async () => new (await import('./sseGeneric')).GenericSseAdapter(),
};

/** One instance per kind (ERNIE's token cache lives in its instance). */
const loaded = new Map<ProviderKind, Promise<ProviderAdapter>>();

/** Registers an adapter built outside providers/ (vscode-lm lives in host/ because it needs 'vscode'). */
export function registerAdapter(kind: ProviderKind, adapter: ProviderAdapter): void {
  loaded.set(kind, Promise.resolve(adapter));
}

/** The adapter for a kind, loading it on first use; undefined for a kind this build lacks. */
export function adapterFor(kind: ProviderKind): Promise<ProviderAdapter> | undefined {
  let adapter = loaded.get(kind);
  if (!adapter) {
    const make = kind === 'vscode-lm' ? undefined : factories[kind];
    if (!make) return undefined;
    adapter = make();
    loaded.set(kind, adapter);
  }
  return adapter;
}
