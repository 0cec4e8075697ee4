// The `openai-completions` kind: the legacy Completions API for instruct models (a prompt, not
// messages), through the SDK. POST {baseUrl}/completions; text arrives in choices[0].text.
import OpenAI from 'openai';
import { baseUrlOf } from '../core/profiles';
import { cleanSseStream } from '../core/sse';
import type { AdapterRequest, ChatMessage, LlmEvent, ProviderAdapter, Usage } from '../core/types';
import { AttemptControl, htmlInsteadOfApi } from './http';
import { mapSdkError, normalizeFinishReason, normalizeUsage } from './openai';

/** Messages as one prompt: a single user message is sent as it is; a conversation is labelled. */
export function toPrompt(messages: ChatMessage[]): string {
  if (messages.length === 1 && messages[0].role === 'user') return messages[0].content;
  const label = { system: 'System', user: 'User', assistant: 'Assistant' } as const;
  return `${messages.map((m) => `${label[m.role]}: ${m.content}`).join('\n\n')}\n\nAssistant:`;
}

export class OpenAiCompletionsAdapter implements ProviderAdapter {
  async *stream(req: AdapterRequest): AsyncGenerator<LlmEvent> {
    const { profile } = req;
    const url = `${baseUrlOf(profile)}/completions`;
    const ctl = new AttemptControl(req.signal, profile, req.fetch, cleanSseStream);
    const client = new OpenAI({ apiKey: req.apiKey || 'no-key', baseURL: baseUrlOf(profile), maxRetries: 0, timeout: 24 * 3600_000, fetch: ctl.fetch, defaultHeaders: profile.headers });
    const streaming = profile.stream !== false;
    const body: Record<string, unknown> = { model: req.model, prompt: toPrompt(req.messages), max_tokens: 1024, ...profile.params, ...req.params, stream: streaming };
    if (streaming && profile.streamUsage !== false) body.stream_options = { include_usage: true };
    let native: string | undefined;
    let usage: Usage | undefined;
    try {
      const res = (await client.completions.create(body as never, { signal: ctl.signal })) as unknown;
      const html = htmlInsteadOfApi(ctl.contentType, url);
      if (html) return yield { type: 'error', error: html };
      yield { type: 'start', provider: profile.id, model: req.model };
      const chunks: AsyncIterable<OpenAI.Completion> = streaming ? (res as AsyncIterable<OpenAI.Completion>) : (async function* () { yield res as OpenAI.Completion; })();
      for await (const chunk of chunks) {
        usage = normalizeUsage(chunk.usage as unknown as Record<string, unknown>) ?? usage;
        const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
        if (choice?.text) yield { type: 'text', text: choice.text };
        if (choice?.finish_reason) native = choice.finish_reason;
      }
      if (ctl.signal.aborted) return yield ctl.abortEvent();
      if (!native) return yield { type: 'error', error: ctl.cutStreamError() };
      if (usage) yield { type: 'usage', ...usage };
      yield { type: 'end', finishReason: normalizeFinishReason(native), nativeFinishReason: native };
    } catch (err) {
      yield ctl.signal.aborted ? ctl.abortEvent() : { type: 'error', error: await mapSdkError(err, ctl, url) };
    } finally {
      ctl.dispose();
    }
  }
}
