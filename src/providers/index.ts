// Provider kind → adapter. A new wire protocol is one new file and one line here.
import type { ProviderAdapter, ProviderKind } from '../core/types';
import { OpenAiChatAdapter } from './openai';

const adapters: Partial<Record<ProviderKind, ProviderAdapter>> = {
  openai: new OpenAiChatAdapter(),
};

/** Registers an adapter built outside providers/ (vscode-lm lives in host/ because it needs 'vscode'). */
export function registerAdapter(kind: ProviderKind, adapter: ProviderAdapter): void {
  adapters[kind] = adapter;
}

export function adapterFor(kind: ProviderKind): ProviderAdapter | undefined {
  return adapters[kind];
}
