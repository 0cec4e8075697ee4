// The `openai` kind: any OpenAI-compatible Chat Completions server, through the official SDK.
// Only the SDK adapters (this file, openaiCompletions.ts, azure.ts) import `openai`.
import OpenAI, { APIConnectionError, APIError } from 'openai';
import { errorFromNetwork, errorInStream } from '../core/errors';
import { baseUrlOf } from '../core/profiles';
import { cleanSseBody } from '../core/sse';
import type { AdapterRequest, LlmErrorInfo, LlmEvent, ProviderAdapter, Usage } from '../core/types';
import type { AttemptControl } from './http';
import { normalizeFinishReason, normalizeUsage, ToolCallAssembler } from './normalize';
import { runAttempt } from './wire';

type Delta = { content?: string | null; refusal?: string | null; reasoning_content?: string | null; reasoning?: string | null; tool_calls?: Array<Parameters<ToolCallAssembler['add']>[0]> };

/** How a kind makes an SDK client for an OpenAI-shaped chat endpoint. */
export type ChatClientFactory = (req: AdapterRequest, fetch: typeof globalThis.fetch) => OpenAI;

/** Plain OpenAI-compatible servers: `{baseUrl}/chat/completions`, bearer key. */
export const openAiClient: ChatClientFactory = (req, fetch) => new OpenAI({
  apiKey: req.apiKey || 'no-key',
  baseURL: baseUrlOf(req.profile),
  maxRetries: 0, // we retry ourselves, only before the first token
  timeout: 24 * 3600_000, // AttemptControl owns the timeouts
  fetch,
  defaultHeaders: req.profile.headers,
});

export class OpenAiChatAdapter implements ProviderAdapter {
  constructor(private readonly makeClient: ChatClientFactory = openAiClient) {}

  stream(req: AdapterRequest): AsyncIterable<LlmEvent> {
    const { profile } = req;
    const streaming = profile.stream !== false;
    const body: Record<string, unknown> = { model: req.model, messages: req.messages, ...profile.params, ...req.params, stream: streaming };
    if (req.continuation) Object.assign(body, nativeContinuation(req));
    if (streaming && profile.streamUsage !== false) body.stream_options = { include_usage: true };
    type Handle = AsyncIterable<OpenAI.ChatCompletionChunk> | OpenAI.ChatCompletion;
    return runAttempt<Handle>(req, {
      bodyFilter: cleanSseBody,
      open: async (ctl) => (await this.makeClient(req, ctl.fetch).chat.completions.create(body as never, { signal: ctl.signal })) as unknown as Handle,
      model: (h) => (streaming ? undefined : (h as OpenAI.ChatCompletion).model),
      read: (h, ctl) => (streaming ? readChunks(h as AsyncIterable<OpenAI.ChatCompletionChunk>, ctl) : readWhole(h as OpenAI.ChatCompletion)),
      mapError: mapSdkError,
    });
  }
}

/**
 * A trailing assistant message continued by the server itself: DeepSeek's prefix completion
 * (`prefix: true`, its /beta URL), DashScope's partial mode (`partial: true`), otherwise vLLM's
 * (and SGLang's) `continue_final_message`.
 */
function nativeContinuation(req: AdapterRequest): Record<string, unknown> {
  const base = req.profile.baseUrl ?? '';
  const flag = /deepseek/i.test(base) ? 'prefix' : /dashscope/i.test(base) ? 'partial' : undefined;
  if (!flag) return { continue_final_message: true, add_generation_prompt: false };
  const messages = req.messages.map((m, i) => (i === req.messages.length - 1 ? { ...m, [flag]: true } : m));
  return { messages };
}

async function* readChunks(stream: AsyncIterable<OpenAI.ChatCompletionChunk>, ctl: AttemptControl): AsyncGenerator<LlmEvent> {
  const tools = new ToolCallAssembler();
  let native: string | undefined;
  let usage: Usage | undefined;
  for await (const chunk of stream) {
    usage = normalizeUsage(chunk.usage as unknown as Record<string, unknown>) ?? usage;
    ctl.usage = usage;
    // With n > 1 the choices interleave; we carry choice 0.
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (!choice) continue;
    const delta = (choice.delta ?? {}) as Delta;
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) yield { type: 'reasoning', text: reasoning };
    if (delta.content) yield { type: 'text', text: delta.content };
    if (delta.refusal) yield { type: 'text', text: delta.refusal };
    if (delta.tool_calls) for (const t of delta.tool_calls) tools.add(t);
    if (choice.finish_reason) native = choice.finish_reason;
  }
  if (native === undefined) return; // cut: the runner says so
  yield* tools.events();
  if (usage) yield { type: 'usage', ...usage };
  yield { type: 'end', finishReason: normalizeFinishReason(native), nativeFinishReason: native };
}

async function* readWhole(res: OpenAI.ChatCompletion): AsyncGenerator<LlmEvent> {
  const choice = res.choices?.find((c) => c.index === 0) ?? res.choices?.[0];
  const msg = (choice?.message ?? {}) as Delta;
  const reasoning = msg.reasoning_content ?? msg.reasoning;
  if (reasoning) yield { type: 'reasoning', text: reasoning };
  if (msg.content) yield { type: 'text', text: msg.content };
  if (msg.refusal) yield { type: 'text', text: msg.refusal };
  const tools = new ToolCallAssembler();
  msg.tool_calls?.forEach((t, i) => tools.add({ ...t, index: i }));
  yield* tools.events();
  const u = normalizeUsage(res.usage as unknown as Record<string, unknown>);
  if (u) yield { type: 'usage', ...u };
  yield { type: 'end', finishReason: normalizeFinishReason(choice?.finish_reason), nativeFinishReason: choice?.finish_reason ?? undefined };
}

/** The SDK's exceptions: an HTTP status (mapped from the body we watched), a connection failure, an error in a 200 stream. */
export async function mapSdkError(err: unknown, ctl: AttemptControl): Promise<LlmErrorInfo | undefined> {
  if (err instanceof APIConnectionError) return errorFromNetwork(err.cause ?? err, ctl.url);
  if (!(err instanceof APIError)) return undefined;
  if (err.status) return ctl.httpError(err.headers);
  return errorInStream({ error: err.error ?? { message: err.message } });
}
