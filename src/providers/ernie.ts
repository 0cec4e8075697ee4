// The `ernie` kind: Baidu's wenxinworkshop v1 API. API key + secret key → an OAuth access token
// (cached until it expires, refreshed once when the API calls it invalid), then an SSE stream of
// `result` pieces that ends with `is_end: true`. Errors come as JSON with HTTP 200.
import { configError, errorFromErnie, ernieTokenError, htmlPageError } from '../core/errors';
import { l10n } from '../core/l10n';
import { baseUrlOf } from '../core/profiles';
import type { AdapterRequest, LlmErrorInfo, LlmEvent, ProviderAdapter } from '../core/types';
import type { AttemptControl } from './http';
import { alternatingTurns, normalizeUsage } from './normalize';
import { eventJson, postJson, runAttempt, sseEvents, tryJson, type Refusal } from './wire';

interface ErnieChunk {
  result?: string;
  is_end?: boolean;
  finish_reason?: string;
  need_clear_history?: boolean;
  usage?: Record<string, unknown>;
  error_code?: number;
  error_msg?: string;
}

const TOKEN_INVALID = new Set([110, 111]);

interface CachedToken { token: string; expiresAt: number }

export class ErnieAdapter implements ProviderAdapter {
  private readonly tokens = new Map<string, CachedToken>();
  /** Errors that mean "get a new token and try once more": kept here, never marked on the error itself. */
  private readonly tokenInvalid = new WeakSet<LlmErrorInfo>();

  async *stream(req: AdapterRequest): AsyncGenerator<LlmEvent> {
    if (!req.apiKey || !req.secretKey) {
      return yield { type: 'error', error: configError('auth', l10n.t('ERNIE needs an API key and a secret key for profile "{0}".', req.profile.id)) };
    }
    // One refresh when the API says the token is invalid, before anything reached the user.
    for (let attempt = 0; attempt < 2; attempt++) {
      let invalidToken = false;
      for await (const ev of this.attempt(req, attempt > 0)) {
        if (ev.type === 'error' && attempt === 0 && this.tokenInvalid.has(ev.error)) {
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
    return runAttempt(req, {
      open: async (ctl): Promise<Response | Refusal> => {
        const token = await this.token(ctl, base, req.apiKey!, req.secretKey!, refresh);
        if (typeof token !== 'string') return { refused: token };
        const response = await postJson(ctl, req, {
          url: `${base}/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/${encodeURIComponent(req.model)}?access_token=${encodeURIComponent(token)}`,
          headers: {},
          body: { ...alternatingTurns(req.messages), ...req.profile.params, ...req.params, stream: streaming },
        });
        // A streamed request may be answered with a plain JSON error and status 200.
        if (response instanceof Response && /json/i.test(ctl.contentType)) {
          const refused = this.jsonError(await response.clone().text());
          if (refused) return { refused };
        }
        return response;
      },
      read: (response, ctl) => this.read(response, streaming, ctl),
    });
  }

  private jsonError(text: string): LlmErrorInfo | undefined {
    const body = tryJson(text) as ErnieChunk | undefined;
    if (!body?.error_code) return undefined;
    const info = errorFromErnie(body.error_code, body.error_msg ?? '');
    if (TOKEN_INVALID.has(body.error_code)) this.tokenInvalid.add(info);
    return info;
  }

  private async token(ctl: AttemptControl, base: string, apiKey: string, secretKey: string, refresh: boolean): Promise<string | LlmErrorInfo> {
    const key = `${base}\n${apiKey}`;
    const cached = this.tokens.get(key);
    if (cached && !refresh && cached.expiresAt > Date.now()) return cached.token;
    this.tokens.delete(key);
    const url = `${base}/oauth/2.0/token?grant_type=client_credentials&client_id=${encodeURIComponent(apiKey)}&client_secret=${encodeURIComponent(secretKey)}`;
    const res = await ctl.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    // A proxy's page or a server failure is not a wrong key: say what it is.
    if (/text\/html/i.test(ctl.contentType)) return res.status >= 400 ? ctl.httpError(res.headers) : htmlPageError(ctl.url);
    if (res.status >= 500 || res.status === 429) return ctl.httpError(res.headers);
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) {
      return ernieTokenError(res.status, body.error_description ?? body.error);
    }
    // Refresh a minute early; Baidu's tokens last 30 days.
    this.tokens.set(key, { token: body.access_token, expiresAt: Date.now() + Math.max(0, (body.expires_in ?? 3600) - 60) * 1000 });
    return body.access_token;
  }

  private async *read(response: Response, streaming: boolean, ctl: AttemptControl): AsyncGenerator<LlmEvent> {
    if (!streaming) {
      const chunk = (await response.json()) as ErnieChunk;
      yield* this.fromChunk(chunk, true);
      return;
    }
    for await (const ev of sseEvents(response.body!)) {
      const chunk = eventJson(ev.data) as ErnieChunk | undefined;
      if (!chunk) continue;
      ctl.usage = normalizeUsage(chunk.usage) ?? ctl.usage;
      const events = [...this.fromChunk(chunk, false)];
      yield* events;
      if (events.some((e) => e.type === 'end' || e.type === 'error')) return;
    }
  }

  private *fromChunk(chunk: ErnieChunk, whole: boolean): Generator<LlmEvent> {
    if (chunk.error_code) return yield { type: 'error', error: errorFromErnie(chunk.error_code, chunk.error_msg ?? '') };
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
