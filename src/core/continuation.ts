// Continue after a cut answer: the request that carries on from the partial text, and the seam
// where the model may repeat the end of what was already written.
import type { ChatMessage, LlmEvent, ProviderProfile } from './types';

/** How a provider is asked to carry on: it continues a trailing assistant message itself, or is told to. */
export type ContinuationMode = 'native' | 'instruction';

/** The instruction sent when the provider has no native continuation. */
export const CONTINUE_INSTRUCTION =
  'Your previous answer was cut off. Continue it exactly where it stopped: do not repeat anything, do not add an introduction, start with the very next characters.';

/**
 * Which providers continue a trailing assistant message natively: DashScope (`partial: true`, also
 * in its OpenAI-compatible mode), DeepSeek's prefix completion (its /beta base URL), Anthropic
 * (prefill), vLLM (`continue_final_message`, named by the profile). Everyone else gets an instruction.
 */
export function continuationMode(profile: ProviderProfile): ContinuationMode {
  if (profile.continuation) return profile.continuation === 'instruction' ? 'instruction' : 'native';
  if (profile.kind === 'dashscope' || profile.kind === 'anthropic') return 'native';
  if (profile.kind === 'openai' && /dashscope[^/]*\/compatible-mode|api\.deepseek\.com\/beta/i.test(profile.baseUrl ?? '')) return 'native';
  return 'instruction';
}

/**
 * An answer that ended early with text to go on from (what `askLlm.continue` continues): cut at
 * the token limit, stopped, or failed after some text.
 */
export function endedEarly(o: { text: string; finishReason: string }): boolean {
  return o.text.length > 0 && (o.finishReason === 'length' || o.finishReason === 'cancelled' || o.finishReason === 'error');
}

/** The conversation, then the partial answer as an assistant message, then (unless native) the instruction. */
export function continuationMessages(conversation: ChatMessage[], partial: string, mode: ContinuationMode): ChatMessage[] {
  const messages: ChatMessage[] = [...conversation, { role: 'assistant', content: partial }];
  if (mode === 'instruction') messages.push({ role: 'user', content: CONTINUE_INSTRUCTION });
  return messages;
}

/** How much of the start of `next` repeats the end of `before` (0 when it does not, or too little to be sure). */
export function seamOverlap(before: string, next: string, maxWindow = 400): number {
  const most = Math.min(before.length, next.length, maxWindow);
  for (let k = most; k > 0; k--) {
    if (!before.endsWith(next.slice(0, k))) continue;
    // A short match counts only where it starts a word in `before` (the model re-typed a word it
    // had begun): otherwise "banana" + "nana split" would lose real letters. Chinese and Japanese
    // have no spaces between words: there two repeated characters are enough.
    const startsWord = k === before.length || /[\s\p{P}]/u.test(before[before.length - k - 1]) || /[\s\p{P}]/u.test(next[0]);
    const cjk = k >= 2 && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(next[0]);
    if (k >= 8 || startsWord || cjk) return k;
  }
  return 0;
}

/**
 * The continuation's events with the seam removed: text is held back until the window is full (or
 * the stream ends), the part that repeats the end of `partial` is dropped, the rest flows as it came.
 */
export async function* withoutSeam(events: AsyncIterable<LlmEvent>, partial: string, window = 80): AsyncGenerator<LlmEvent> {
  let held = '';
  let decided = false;
  const release = (): LlmEvent | undefined => {
    decided = true;
    const rest = held.slice(seamOverlap(partial, held, window));
    held = '';
    return rest ? { type: 'text', text: rest } : undefined;
  };
  for await (const ev of events) {
    if (ev.type === 'text' && !decided) {
      held += ev.text;
      if (held.length < window) continue;
      const out = release();
      if (out) yield out;
      continue;
    }
    if ((ev.type === 'end' || ev.type === 'error') && !decided) {
      const out = release();
      if (out) yield out;
    }
    yield ev;
  }
}
