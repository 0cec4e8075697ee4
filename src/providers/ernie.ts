// The `ernie` kind: Baidu's wenxinworkshop v1 API. API key + secret key → an OAuth access token
// (cached until it expires, refreshed once when the API calls it invalid), then an SSE stream of
// `result` pieces that ends with `is_end: true`. Errors come as JSON with HTTP 200.
import type { ErrorKind, LlmErrorInfo, LlmEvent, AdapterRequest, ChatMessage, ProviderAdapter } from '../core/types';
import { baseUrlOf } from '../core/profiles';
import { normalizeUsage } from './openai';
import { runHttpAttempt, sseEvents, tryJson, type StreamContext } from './wire';
import type { AttemptControl } from './http';

interface ErnieChunk {
  result?: string;
  is_end?: boolean;
  finish_reason?: string;
  need_clear_history?: boolean;
  usage?: Record<string, unknown>;
  error_code?: number;
  error_msg?: string;
}

/** Baidu's error codes → our kinds (codes from the Qianfan SDK's APIErrorCode). */
export function ernieError(code: number, message: string): LlmErrorInfo {
  const kinds: Record<number, ErrorKind> = {
    110: 'auth', 111: 'auth', 13: 'auth', 14: 'auth', 15: 'auth',
    4: 'quota', 17: 'quota', 19: 'quota',
    18: 'rateLimit', 336501: 'rateLimit', 336502: 'rateLimit',
    336100: 'overloaded', 2: 'server', 336000: 'server',
    336003: 'badRequest', 336001: 'badRequest', 336002: 'badRequest', 336006: 'badRequest',
    6: 'permission', 3: 'notFound',
  };
  const kind = kinds[code] ?? 'unknown';
  return { kind, message: `ERNIE error ${code}: ${message}`, status: 200, retryable: ['rateLimit', 'overloaded', 'server'].includes(kind) };
}

const TOKEN_INVALID = new Set([110, 111]);

interface CachedToken { token: string; expiresAt: number }

/** ERNIE wants a system prompt in `system`, and the messages strictly alternating user/assistant. */
function ernieBody(messages: ChatMessage[]): { system?: string; messages: ChatMessage[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const turns: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const last = turns[turns.length - 1];
    if (last && last.role === m.role) last.content += `\n\n${m.content}`;
    else turns.push({ role: m.role, content: m.content });
  }
  while (turns.length && turns[0].role !== 'user') turns.shift();
  return system ? { system, messages: turns } : { messages: turns };
}

export class ErnieAdapter implements ProviderAdapter {
  private readonly tokens = new Map<string, CachedToken>();

  async *stream(req: AdapterRequest): AsyncGenerator<LlmEvent> {
    if (!req.apiKey || !req.secretKey) {
      return yield { type: 'error', error: { kind: 'auth', message: `ERNIE needs an API key and a secret key for profile "${req.profile.id}".`, retryable: false } };
    }
    // One refresh when the API says the token is invalid, before anything reached the user.
    for (let attempt = 0; attempt < 2; attempt++) {
      let invalidToken = false;
      for await (const ev of this.attempt(req, attempt > 0)) {
        if (ev.type === 'error' && attempt === 0 && ev.error.kind === 'auth' && (ev.error as LlmErrorInfo & { tokenInvalid?: boolean }).tokenInvalid) {
          invalidToken = true;
          break;
        }
        yield ev;
      }
      if (!invalidToken) return;
    }
  }

  private attempt(req: AdapterRequest, refresh: boolean): AsyncIterable<LlmEvent> {
    const base = baseUrlOf(req.profile);
    const streaming = req.profile.stream !== false;
    return runHttpAttempt(
      req,
      async (ctl) => {
        const token = await this.token(ctl, base, req.apiKey!, req.secretKey!, refresh);
        if (typeof token !== 'string') return token;
        return {
          url: `${base}/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/${encodeURIComponent(req.model)}?access_token=${encodeURIComponent(token)}`,
          headers: {},
          body: { ...ernieBody(req.messages), ...req.profile.params, ...req.params, stream: streaming },
        };
      },
      (ctx) => this.read(ctx, streaming),
      { acceptJsonErrorWith200: (text) => this.jsonError(text) },
    );
  }

  private jsonError(text: string): LlmErrorInfo | undefined {
    const body = tryJson(text) as ErnieChunk | undefined;
    if (!body?.error_code) return undefined;
    const info = ernieError(body.error_code, body.error_msg ?? '');
    return TOKEN_INVALID.has(body.error_code) ? Object.assign(info, { tokenInvalid: true }) : info;
  }

  private async token(ctl: AttemptControl, base: string, apiKey: string, secretKey: string, refresh: boolean): Promise<string | LlmErrorInfo> {
    const key = `${base}\n${apiKey}`;
    const cached = this.tokens.get(key);
    if (cached && !refresh && cached.expiresAt > Date.now()) return cached.token;
    this.tokens.delete(key);
    const url = `${base}/oauth/2.0/token?grant_type=client_credentials&client_id=${encodeURIComponent(apiKey)}&client_secret=${encodeURIComponent(secretKey)}`;
    const res = await ctl.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) {
      return {
        kind: 'auth',
        message: `ERNIE could not get an access token: ${body.error_description ?? body.error ?? `HTTP ${res.status}`}. Check the API key and secret key.`,
        status: res.status,
        retryable: false,
      };
    }
    // Refresh a minute early; Baidu's tokens last 30 days.
    this.tokens.set(key, { token: body.access_token, expiresAt: Date.now() + Math.max(0, (body.expires_in ?? 3600) - 60) * 1000 });
    return body.access_token;
  }

  private async *read({ response }: StreamContext, streaming: boolean): AsyncGenerator<LlmEvent> {
    if (!streaming) {
      const chunk = (await response.json()) as ErnieChunk;
      yield* this.fromChunk(chunk, true);
      return;
    }
    for await (const ev of sseEvents(response.body!)) {
      const chunk = tryJson(ev.data) as ErnieChunk | undefined;
      if (!chunk) continue;
      const events = [...this.fromChunk(chunk, false)];
      yield* events;
      if (events.some((e) => e.type === 'end' || e.type === 'error')) return;
    }
  }

  private *fromChunk(chunk: ErnieChunk, whole: boolean): Generator<LlmEvent> {
    if (chunk.error_code) return yield { type: 'error', error: ernieError(chunk.error_code, chunk.error_msg ?? '') };
    if (chunk.result) yield { type: 'text', text: chunk.result };
    if (chunk.is_end || whole) {
      const usage = normalizeUsage(chunk.usage);
      if (usage) yield { type: 'usage', ...usage };
      const native = chunk.finish_reason ?? 'normal';
      const finishReason = chunk.need_clear_history ? 'contentFilter' : native === 'length' ? 'length' : native === 'function_call' ? 'toolCalls' : native === 'content_filter' ? 'contentFilter' : 'stop';
      yield { type: 'end', finishReason, nativeFinishReason: native };
    }
  }
}
