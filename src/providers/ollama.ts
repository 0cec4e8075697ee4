// The `ollama` kind: Ollama's native /api/chat, NDJSON (one JSON object a line, `done: true` last).
import { baseUrlOf } from '../core/profiles';
import type { AdapterRequest, LlmEvent, ProviderAdapter } from '../core/types';
import { errorInStream } from '../core/errors';
import { normalizeFinishReason } from './normalize';
import { eventJson, ndjsonLines, runHttpAttempt } from './wire';

interface OllamaLine {
  message?: { content?: string; thinking?: string; tool_calls?: Array<{ function?: { name?: string; arguments?: unknown } }> };
  /** /api/generate's field, accepted too. */
  response?: string;
  thinking?: string;
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

/** `calledTools`: an earlier line carried tool calls (Ollama says `stop` even then). */
function* fromLine(line: OllamaLine, calledTools: boolean): Generator<LlmEvent> {
  const thinking = line.message?.thinking ?? line.thinking;
  if (thinking) yield { type: 'reasoning', text: thinking };
  const text = line.message?.content ?? line.response;
  if (text) yield { type: 'text', text };
  for (const call of line.message?.tool_calls ?? []) {
    const args = call.function?.arguments;
    yield { type: 'toolCall', name: call.function?.name ?? '', arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
  }
  if (line.done) {
    const input = line.prompt_eval_count;
    const output = line.eval_count;
    if (input !== undefined || output !== undefined) {
      yield { type: 'usage', inputTokens: input, outputTokens: output, totalTokens: input !== undefined && output !== undefined ? input + output : undefined };
    }
    const reason = line.done_reason ?? 'stop';
    yield { type: 'end', finishReason: calledTools || line.message?.tool_calls?.length ? 'toolCalls' : normalizeFinishReason(reason), nativeFinishReason: reason };
  }
}

export class OllamaAdapter implements ProviderAdapter {
  stream(req: AdapterRequest): AsyncIterable<LlmEvent> {
    const streaming = req.profile.stream !== false;
    const headers: Record<string, string> = {};
    if (req.apiKey) headers.authorization = `Bearer ${req.apiKey}`; // for Ollama behind an authenticating proxy
    return runHttpAttempt(
      req,
      { url: `${baseUrlOf(req.profile)}/api/chat`, headers, body: { model: req.model, messages: req.messages, ...req.profile.params, ...req.params, stream: streaming } },
      (response) => this.read(response),
    );
  }

  private async *read(response: Response): AsyncGenerator<LlmEvent> {
    let answered = false;
    let calledTools = false;
    for await (const raw of ndjsonLines(response.body!)) {
      const line = eventJson(raw) as OllamaLine | undefined;
      if (!line) continue;
      if (line.error) {
        return yield { type: 'error', error: errorInStream({ error: line.error }, 'server', answered) };
      }
      for (const ev of fromLine(line, calledTools)) {
        if (ev.type === 'text' || ev.type === 'reasoning' || ev.type === 'toolCall') answered = true;
        if (ev.type === 'toolCall') calledTools = true;
        yield ev;
      }
      if (line.done) return;
    }
  }
}
