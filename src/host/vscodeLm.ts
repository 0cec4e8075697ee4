import * as vscode from 'vscode';
import { configError, errorFromLanguageModel } from '../core/errors';
import type { AdapterRequest, LlmEvent, ProviderAdapter } from '../core/types';
import { VENDOR } from './lmProvider';

/**
 * The `vscode-lm` kind: VS Code's own language models (Copilot's, or any extension's), so a user
 * with one needs no key. `model` picks by id, then family, then name; empty takes the first.
 */
export class VscodeLmAdapter implements ProviderAdapter {
  async *stream(req: AdapterRequest): AsyncGenerator<LlmEvent> {
    const model = await pickModel(req.model);
    if (typeof model === 'string') return yield { type: 'error', error: configError('notFound', model) };
    const cts = new vscode.CancellationTokenSource();
    const cancel = () => cts.cancel();
    req.signal.addEventListener('abort', cancel, { once: true });
    try {
      // The LM API has no system role: the system prompt leads the first user message.
      const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
      const turns = req.messages.filter((m) => m.role !== 'system');
      const messages = turns.map((m, i) => {
        const content = i === 0 && system ? `${system}\n\n${m.content}` : m.content;
        return m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(content) : vscode.LanguageModelChatMessage.User(content);
      });
      const res = await model.sendRequest(messages, { justification: vscode.l10n.t('Ask LLM sends your question to this model.'), modelOptions: req.params }, cts.token);
      yield { type: 'start', provider: req.profile.id, model: model.id };
      let toolCalls = false;
      for await (const part of res.stream) {
        if (req.signal.aborted) break;
        if (part instanceof vscode.LanguageModelTextPart) {
          if (part.value) yield { type: 'text', text: part.value };
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          toolCalls = true;
          yield { type: 'toolCall', id: part.callId, name: part.name, arguments: JSON.stringify(part.input) };
        } else if (isThinking(part)) {
          const text = Array.isArray(part.value) ? part.value.join('') : part.value;
          if (text) yield { type: 'reasoning', text };
        }
      }
      yield req.signal.aborted ? { type: 'end', finishReason: 'cancelled' } : { type: 'end', finishReason: toolCalls ? 'toolCalls' : 'stop' };
    } catch (err) {
      if (req.signal.aborted) return yield { type: 'end', finishReason: 'cancelled' };
      const code = err instanceof vscode.LanguageModelError ? err.code : '';
      yield { type: 'error', error: errorFromLanguageModel(code, err instanceof Error ? err.message : String(err)) };
    } finally {
      // Also when the consumer left early: the model's request must not run on unread.
      cts.cancel();
      req.signal.removeEventListener('abort', cancel);
      cts.dispose();
    }
  }
}

/** The thinking part is newer than our minimum VS Code typings: recognised by shape. */
function isThinking(part: unknown): part is { value: string | string[] } {
  return !!part && (part as { constructor?: { name?: string } }).constructor?.name === 'LanguageModelThinkingPart' && 'value' in (part as object);
}

async function pickModel(wanted: string): Promise<vscode.LanguageModelChat | string> {
  // Our own profiles are VS Code models too (host/lmProvider.ts): a vscode-lm profile never takes one.
  const all = (await vscode.lm.selectChatModels()).filter((m) => m.vendor !== VENDOR);
  if (all.length === 0) {
    return vscode.l10n.t('No VS Code language models are available. Install and sign in to an extension that provides them (for example GitHub Copilot Chat).');
  }
  if (!wanted) return all[0];
  const found = all.find((m) => m.id === wanted) ?? all.find((m) => m.family === wanted) ?? all.find((m) => m.name === wanted);
  return found ?? vscode.l10n.t('No VS Code language model "{0}". Available: {1}.', wanted, all.map((m) => `${m.id} (${m.family})`).join(', '));
}
