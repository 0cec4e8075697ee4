// What every adapter shares and no SDK is needed for: finish reasons and usage in our terms,
// conversations reshaped for APIs that want alternating turns, tool-call fragments assembled.
// Native adapters import this, never openai.ts, so they never load the `openai` package.
import type { ChatMessage, FinishReason, LlmEvent, Usage } from '../core/types';

/** Provider-native finish reasons → ours. */
export function normalizeFinishReason(native: string | null | undefined): FinishReason {
  switch ((native ?? '').toLowerCase()) {
    case 'length': case 'max_tokens': case 'max_output_tokens': case 'insufficient_system_resource':
      return 'length';
    case 'content_filter': case 'safety': case 'recitation': case 'refusal': case 'prohibited_content': case 'blocklist':
      return 'contentFilter';
    case 'tool_calls': case 'function_call': case 'tool_use':
      return 'toolCalls';
    default:
      return 'stop';
  }
}

/** OpenAI-style usage (prompt/completion) or input/output names → ours; undefined if empty. */
export function normalizeUsage(u: Record<string, unknown> | null | undefined): Usage | undefined {
  if (!u) return undefined;
  const num = (...keys: string[]) => {
    for (const k of keys) if (typeof u[k] === 'number') return u[k] as number;
    return undefined;
  };
  const usage: Usage = {
    inputTokens: num('prompt_tokens', 'input_tokens'),
    outputTokens: num('completion_tokens', 'output_tokens'),
    totalTokens: num('total_tokens'),
  };
  if (usage.totalTokens === undefined && usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
  }
  return Object.values(usage).some((v) => v !== undefined) ? usage : undefined;
}

export type Turn = { role: 'user' | 'assistant'; content: string };

/**
 * For APIs that take the system prompt apart and want turns that alternate, starting with the
 * user (Anthropic, ERNIE): system messages are joined, same-role neighbours merged, leading
 * assistant turns dropped.
 */
export function alternatingTurns(messages: ChatMessage[]): { system?: string; messages: Turn[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const turns: Turn[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const last = turns[turns.length - 1];
    if (last?.role === m.role) last.content += `\n\n${m.content}`;
    else turns.push({ role: m.role, content: m.content });
  }
  while (turns[0]?.role === 'assistant') turns.shift();
  return system ? { system, messages: turns } : { messages: turns };
}

interface ToolCallDraft { id?: string; name: string; arguments: string }

/** One streamed tool-call fragment, OpenAI-shaped; servers differ in which fields they repeat or leave out. */
export interface ToolCallFragment { index?: number | null; id?: string | null; function?: { name?: string | null; arguments?: string | null } | null }

/**
 * Streamed tool-call fragments assembled into whole calls. A fragment belongs to the call at its
 * `index`; without one (LM Studio, some vLLM builds) to the call with its id, else to the last
 * call. It starts a new call where there is none yet, or when it names a function under an id other
 * than the call's (Ollama's /v1 puts parallel calls all at index 0). Anything else continues the
 * call: a repeated id and name (LiteLLM) or a fresh id on every fragment (LM Studio) restart
 * nothing, and the name is set, never appended; the call keeps its first id.
 */
export class ToolCallAssembler {
  private readonly calls: ToolCallDraft[] = [];
  private readonly byIndex = new Map<number, ToolCallDraft>();

  add(frag: ToolCallFragment): void {
    const id = frag.id || undefined;
    const name = frag.function?.name || undefined;
    const indexed = typeof frag.index === 'number';
    let call = indexed ? this.byIndex.get(frag.index as number) : (id && this.calls.find((c) => c.id === id)) || this.calls[this.calls.length - 1];
    if (!call || (id && name && call.id && id !== call.id)) {
      call = { id, name: '', arguments: '' };
      this.calls.push(call);
    }
    if (indexed) this.byIndex.set(frag.index as number, call);
    call.id ??= id;
    if (name) call.name = name;
    if (frag.function?.arguments) call.arguments += frag.function.arguments;
  }

  /** One `toolCall` per call, in the order the calls began, each with its whole arguments string. */
  events(): LlmEvent[] {
    return this.calls.map((c) => ({ type: 'toolCall', ...(c.id ? { id: c.id } : {}), name: c.name, arguments: c.arguments }));
  }
}
