// The `gemini` kind: Google's streamGenerateContent with alt=sse. The key goes in a header, never
// the URL. Thought parts become `reasoning`; usageMetadata comes on every chunk (the last wins);
// the stream has no terminator: EOF after a chunk with finishReason is the end, EOF before one is
// a cut stream. A bare {"error":…} chunk is an error.
import { errorFromHttp } from '../core/errors';
import { baseUrlOf } from '../core/profiles';
import type { AdapterRequest, LlmEvent, ProviderAdapter, Usage } from '../core/types';
import type { AttemptControl } from './http';
import { normalizeFinishReason } from './normalize';
import { eventJson, runHttpAttempt, sseEvents } from './wire';

interface GeminiChunk {
  candidates?: Array<{ content?: { parts?: Array<{ text?: string; thought?: boolean; functionCall?: { name?: string; args?: unknown } }> }; finishReason?: string }>;
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number; totalTokenCount?: number };
  error?: { code?: number; message?: string; status?: string };
}

function* fromChunk(chunk: GeminiChunk): Generator<LlmEvent> {
  for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
    if (part.text) yield part.thought ? { type: 'reasoning', text: part.text } : { type: 'text', text: part.text };
    if (part.functionCall) yield { type: 'toolCall', name: part.functionCall.name ?? '', arguments: JSON.stringify(part.functionCall.args ?? {}) };
  }
}

function usageOf(chunk: GeminiChunk): Usage | undefined {
  const u = chunk.usageMetadata;
  if (!u) return undefined;
  const output = u.candidatesTokenCount !== undefined || u.thoughtsTokenCount !== undefined ? (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) : undefined;
  return { inputTokens: u.promptTokenCount, outputTokens: output, totalTokens: u.totalTokenCount };
}

export class GeminiAdapter implements ProviderAdapter {
  stream(req: AdapterRequest): AsyncIterable<LlmEvent> {
    const streaming = req.profile.stream !== false;
    const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
    const contents = req.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] }));
    const model = encodeURIComponent(req.model);
    return runHttpAttempt(
      req,
      {
        url: `${baseUrlOf(req.profile)}/v1beta/models/${model}:${streaming ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
        headers: { 'x-goog-api-key': req.apiKey ?? '' },
        body: { contents, ...(system ? { systemInstruction: { parts: [{ text: system }] } } : {}), ...req.profile.params, ...req.params },
      },
      (response, ctl) => this.read(response, streaming, ctl),
    );
  }

  private async *read(response: Response, streaming: boolean, ctl: AttemptControl): AsyncGenerator<LlmEvent> {
    let finish: string | undefined;
    let usage: Usage | undefined;
    const chunks = streaming
      ? (async function* () { for await (const ev of sseEvents(response.body!)) yield eventJson(ev.data) as GeminiChunk | undefined; })()
      : (async function* () { yield (await response.json()) as GeminiChunk; })();
    for await (const chunk of chunks) {
      if (!chunk) continue;
      if (chunk.error) return yield { type: 'error', error: errorFromHttp(chunk.error.code ?? 200, chunk) };
      yield* fromChunk(chunk);
      usage = usageOf(chunk) ?? usage;
      ctl.usage = usage;
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
    }
    if (!finish) return; // cut before the last chunk: the runner reports it
    if (usage) yield { type: 'usage', ...usage };
    yield { type: 'end', finishReason: normalizeFinishReason(finish), nativeFinishReason: finish };
  }
}
