// The `openai-completions` kind: the legacy Completions API for instruct models (a prompt, not
// messages), through the SDK. POST {baseUrl}/completions; text arrives in choices[0].text.
import type OpenAI from 'openai';
import { cleanSseBody } from '../core/sse';
import type { AdapterRequest, ChatMessage, LlmEvent, ProviderAdapter, Usage } from '../core/types';
import type { AttemptControl } from './http';
import { normalizeFinishReason, normalizeUsage } from './normalize';
import { mapSdkError, openAiClient } from './openai';
import { runAttempt } from './wire';

/** Messages as one prompt: a single user message is sent as it is; a conversation is labelled. */
export function toPrompt(messages: ChatMessage[]): string {
  if (messages.length === 1 && messages[0].role === 'user') return messages[0].content;
  const label = { system: 'System', user: 'User', assistant: 'Assistant' } as const;
  return `${messages.map((m) => `${label[m.role]}: ${m.content}`).join('\n\n')}\n\nAssistant:`;
}

export class OpenAiCompletionsAdapter implements ProviderAdapter {
  stream(req: AdapterRequest): AsyncIterable<LlmEvent> {
    const { profile } = req;
    const streaming = profile.stream !== false;
    const body: Record<string, unknown> = { model: req.model, prompt: toPrompt(req.messages), max_tokens: 1024, ...profile.params, ...req.params, stream: streaming };
    if (streaming && profile.streamUsage !== false) body.stream_options = { include_usage: true };
    type Handle = AsyncIterable<OpenAI.Completion> | OpenAI.Completion;
    return runAttempt<Handle>(req, {
      bodyFilter: cleanSseBody,
      open: async (ctl) => (await openAiClient(req, ctl.fetch).completions.create(body as never, { signal: ctl.signal })) as unknown as Handle,
      read: (h, ctl) => readCompletions(streaming ? (h as AsyncIterable<OpenAI.Completion>) : [h as OpenAI.Completion], ctl),
      mapError: mapSdkError,
    });
  }
}

async function* readCompletions(chunks: AsyncIterable<OpenAI.Completion> | Iterable<OpenAI.Completion>, ctl: AttemptControl): AsyncGenerator<LlmEvent> {
  let native: string | undefined;
  let usage: Usage | undefined;
  for await (const chunk of chunks) {
    usage = normalizeUsage(chunk.usage as unknown as Record<string, unknown>) ?? usage;
    ctl.usage = usage;
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (choice?.text) yield { type: 'text', text: choice.text };
    if (choice?.finish_reason) native = choice.finish_reason;
  }
  if (!native) return; // cut: the runner says so
  if (usage) yield { type: 'usage', ...usage };
  yield { type: 'end', finishReason: normalizeFinishReason(native), nativeFinishReason: native };
}
