// Folds an LlmEvent stream into what a test asserts on.
import type { LlmEvent, Usage } from '../../src/core/types';

export interface Collected {
  events: LlmEvent[];
  text: string;
  reasoning: string;
  usage?: Usage;
  toolCalls: Array<{ id?: string; name: string; arguments: string }>;
  starts: number;
  terminal?: Extract<LlmEvent, { type: 'end' | 'error' }>;
}

export async function collect(events: AsyncIterable<LlmEvent>, onEvent?: (ev: LlmEvent, sofar: Collected) => void): Promise<Collected> {
  const c: Collected = { events: [], text: '', reasoning: '', toolCalls: [], starts: 0 };
  for await (const ev of events) {
    if (c.terminal) throw new Error(`event after the terminal one: ${JSON.stringify(ev)}`);
    c.events.push(ev);
    switch (ev.type) {
      case 'start': c.starts++; break;
      case 'text': c.text += ev.text; break;
      case 'reasoning': c.reasoning += ev.text; break;
      case 'usage': c.usage = { inputTokens: ev.inputTokens, outputTokens: ev.outputTokens, totalTokens: ev.totalTokens }; break;
      case 'toolCall': c.toolCalls.push({ id: ev.id, name: ev.name, arguments: ev.arguments }); break;
      case 'end': case 'error': c.terminal = ev; break;
    }
    onEvent?.(ev, c);
  }
  return c;
}
