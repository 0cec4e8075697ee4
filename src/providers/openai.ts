// The `openai` kind: any OpenAI-compatible Chat Completions server, through the official SDK.
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { errorFromHttp, safeOrigin } from '../core/errors';
import { baseUrlOf } from '../core/profiles';
import { cleanSseStream } from '../core/sse';
import type { AdapterRequest, FinishReason, LlmErrorInfo, LlmEvent, ProviderAdapter, Usage } from '../core/types';
import { AttemptControl, htmlInsteadOfApi } from './http';

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

interface ToolCallDraft { id?: string; name: string; arguments: string }

/** Assembles streamed tool-call fragments by index (a new id at a used index starts a new call). */
class ToolCallAssembler {
  private readonly calls: ToolCallDraft[] = [];
  private readonly byIndex = new Map<number, ToolCallDraft>();

  add(frag: { index?: number; id?: string | null; function?: { name?: string | null; arguments?: string | null } }): void {
    const index = frag.index ?? 0;
    let call = this.byIndex.get(index);
    if (!call || (frag.id && call.id && frag.id !== call.id)) {
      call = { id: frag.id ?? undefined, name: '', arguments: '' };
      this.byIndex.set(index, call);
      this.calls.push(call);
    }
    if (frag.id) call.id = frag.id;
    if (frag.function?.name) call.name += frag.function.name;
    if (frag.function?.arguments) call.arguments += frag.function.arguments;
  }

  events(): LlmEvent[] {
    return this.calls.map((c) => ({ type: 'toolCall', ...(c.id ? { id: c.id } : {}), name: c.name, arguments: c.arguments }));
  }
}

type Delta = { content?: string | null; refusal?: string | null; reasoning_content?: string | null; reasoning?: string | null; tool_calls?: Array<Parameters<ToolCallAssembler['add']>[0]> };

/** undici's failures mid-body: `TypeError: terminated` with a socket error as its cause. */
function isNetworkFailure(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && /^(E[A-Z]+|UND_ERR)/.test(e.code)) return true;
    if (e.message === 'terminated' || e.message === 'fetch failed') return true;
  }
  return false;
}

/** How a kind talks to an OpenAI-shaped chat endpoint: the URL (for messages) and an SDK client. */
export interface ChatClientFactory {
  url(req: AdapterRequest): string;
  client(req: AdapterRequest, fetch: typeof globalThis.fetch): OpenAI;
}

/** Plain OpenAI-compatible servers: `{baseUrl}/chat/completions`, bearer key. */
export const openAiClients: ChatClientFactory = {
  url: (req) => `${baseUrlOf(req.profile)}/chat/completions`,
  client: (req, fetch) => new OpenAI({
    apiKey: req.apiKey || 'no-key',
    baseURL: baseUrlOf(req.profile),
    maxRetries: 0, // we retry ourselves, only before the first token
    timeout: 24 * 3600_000, // AttemptControl owns the timeouts
    fetch,
    defaultHeaders: req.profile.headers,
  }),
};

export class OpenAiChatAdapter implements ProviderAdapter {
  constructor(private readonly clients: ChatClientFactory = openAiClients) {}

  async *stream(req: AdapterRequest): AsyncGenerator<LlmEvent> {
    const { profile } = req;
    const url = this.clients.url(req);
    const ctl = new AttemptControl(req.signal, profile, req.fetch, cleanSseStream);
    const client = this.clients.client(req, ctl.fetch);
    const streaming = profile.stream !== false;
    const body: Record<string, unknown> = {
      model: req.model,
      messages: req.messages,
      ...profile.params,
      ...req.params,
      stream: streaming,
    };
    if (streaming && profile.streamUsage !== false) body.stream_options = { include_usage: true };

    const tools = new ToolCallAssembler();
    let native: string | undefined;
    let usage: Usage | undefined;
    let sawAnything = false;
    try {
      if (!streaming) {
        const res = (await client.chat.completions.create(body as never, { signal: ctl.signal })) as unknown as OpenAI.ChatCompletion;
        const html = htmlInsteadOfApi(ctl.contentType, url);
        if (html) return yield { type: 'error', error: html };
        yield { type: 'start', provider: profile.id, model: res.model || req.model };
        const choice = res.choices?.find((c) => c.index === 0) ?? res.choices?.[0];
        const msg = (choice?.message ?? {}) as Delta;
        const reasoning = msg.reasoning_content ?? msg.reasoning;
        if (reasoning) yield { type: 'reasoning', text: reasoning };
        if (msg.content) yield { type: 'text', text: msg.content };
        if (msg.refusal) yield { type: 'text', text: msg.refusal };
        msg.tool_calls?.forEach((t, i) => tools.add({ ...t, index: i }));
        yield* tools.events();
        const u = normalizeUsage(res.usage as unknown as Record<string, unknown>);
        if (u) yield { type: 'usage', ...u };
        return yield { type: 'end', finishReason: normalizeFinishReason(choice?.finish_reason), nativeFinishReason: choice?.finish_reason ?? undefined };
      }

      const stream = await client.chat.completions.create(body as never, { signal: ctl.signal }) as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>;
      const html = htmlInsteadOfApi(ctl.contentType, url);
      if (html) return yield { type: 'error', error: html };
      yield { type: 'start', provider: profile.id, model: req.model };
      for await (const chunk of stream) {
        sawAnything = true;
        const u = normalizeUsage(chunk.usage as unknown as Record<string, unknown>);
        if (u) usage = u;
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
      if (ctl.signal.aborted) return yield ctl.abortEvent();
      if (native === undefined) return yield { type: 'error', error: ctl.cutStreamError(sawAnything) };
      yield* tools.events();
      if (usage) yield { type: 'usage', ...usage };
      yield { type: 'end', finishReason: normalizeFinishReason(native), nativeFinishReason: native };
    } catch (err) {
      yield ctl.signal.aborted ? ctl.abortEvent() : { type: 'error', error: await mapSdkError(err, ctl, url) };
    } finally {
      ctl.dispose();
    }
  }
}

/** An exception from the openai SDK (or from fetch under it) as LlmErrorInfo. */
export async function mapSdkError(err: unknown, ctl: AttemptControl, url: string): Promise<LlmErrorInfo> {
  if (err instanceof APIUserAbortError) return { kind: 'unknown', message: 'aborted', retryable: false };
  if (err instanceof APIConnectionError) return ctl.networkError(err.cause ?? err, url);
  if (err instanceof APIError) {
    if (err.status) {
      const info = await ctl.httpError(err.headers);
      if (info.message === `HTTP ${err.status}` || !info.message) info.message = `HTTP ${err.status} from ${safeOrigin(url)}`;
      return info;
    }
    // An error object inside a 200 stream.
    return errorFromHttp(ctl.status || 200, { error: err.error ?? { message: err.message } });
  }
  if (isNetworkFailure(err)) return ctl.networkError(err, url);
  if (err instanceof SyntaxError) {
    return { kind: 'protocol', message: `The server sent something that is not JSON in its stream: ${err.message}`, status: ctl.status || undefined, retryable: false };
  }
  return { kind: 'unknown', message: err instanceof Error ? err.message : String(err), retryable: false };
}
