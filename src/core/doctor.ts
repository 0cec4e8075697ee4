// The provider doctor ("Ask LLM: Test Provider…"): a few tiny live requests find out how an
// endpoint really streams, and which profile fields match it. Everything here is plain logic over
// an injected `fetch` (no vscode, no Node built-ins): the host shows the report and writes settings.
import type { Outcome } from './answer';
import { describeBody, errorFromNetwork, safeOrigin } from './errors';
import { l10n } from './l10n';
import { baseUrlOf, labelOf } from './profiles';
import { SseParser, type SseEvent } from './sse';
import type { ProviderKind, ProviderProfile, Usage } from './types';

/** The three wire APIs an OpenAI-or-Anthropic-style endpoint may speak. */
export type WireApi = 'chat' | 'responses' | 'anthropic';

/** Where usage arrived in a stream. */
export type UsagePlace =
  | 'final' // a last chunk with no choices (what stream_options asks for)
  | 'every' // in every chunk (vLLM's continuous usage)
  | 'finish' // with the finish reason
  | 'choice' // inside the choice (choices[0].usage), where the chat adapters do not look
  | 'completed' // the Responses API's response.completed
  | 'messageEvents' // Anthropic's message_start and message_delta
  | 'body' // in a whole (non-streamed) answer
  | 'none';

/** How successive chunks relate: new text each (`delta`), the whole text so far (`cumulative`). */
export type ChunkStyle = 'delta' | 'cumulative' | 'single' | 'none';

/**
 * Text of this module in one place. The prompt goes to the model (English, whatever the display
 * language: its answer is checked); the rest is read by the user, in the display language.
 */
export const DOCTOR_TEXT = {
  prompt: 'Count from 1 to 12, separated by spaces. Reply with the numbers only.',
  api: { chat: 'Chat Completions', responses: 'Responses', anthropic: 'Anthropic Messages' } as Record<WireApi, string>,
  get usage(): Record<UsagePlace, string> {
    return {
      final: l10n.t('in a last chunk with no choices (what `stream_options` asks for)'),
      every: l10n.t('in every chunk'),
      finish: l10n.t('in the chunk with the finish reason'),
      choice: l10n.t('inside the choice (`choices[0].usage`), where Ask LLM does not read it'),
      completed: l10n.t('in `response.completed`'),
      messageEvents: l10n.t('in `message_start` and `message_delta`'),
      body: l10n.t('in the whole answer'),
      none: l10n.t('not at all'),
    };
  },
  get chunks(): Record<ChunkStyle, string> {
    return {
      delta: l10n.t('deltas: each chunk carries new text'),
      cumulative: l10n.t('cumulative: each chunk repeats the whole text so far'),
      single: l10n.t('one chunk: the whole answer arrived at once, so it cannot tell'),
      none: l10n.t('no text arrived, so it cannot tell'),
    };
  },
};

const REASONING_KEYS = ['reasoning_content', 'reasoning', 'thinking', 'reasoning_text'] as const;
const PROBE_TOKENS = 48;
const ANTHROPIC_VERSION = '2023-06-01';

/** What is probed: where, as whom, with which model. */
export interface DoctorTarget {
  kind: ProviderKind;
  /** The profile's base URL (for `anthropic` without `/v1`, for the others with the provider's prefix). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  apiVersion?: string;
  params?: Record<string, unknown>;
}

/** The kinds whose wire the doctor probes; every kind still gets the end-to-end check. */
export const PROBED_KINDS: readonly ProviderKind[] = ['openai', 'openai-responses', 'anthropic', 'azure-openai'];

export function doctorTarget(profile: ProviderProfile, keys: { apiKey?: string }): DoctorTarget | undefined {
  if (!PROBED_KINDS.includes(profile.kind)) return undefined;
  return {
    kind: profile.kind, baseUrl: baseUrlOf(profile), model: profile.model,
    ...(keys.apiKey ? { apiKey: keys.apiKey } : {}),
    ...(profile.headers ? { headers: profile.headers } : {}),
    ...(profile.apiVersion ? { apiVersion: profile.apiVersion } : {}),
    ...(profile.params ? { params: profile.params } : {}),
  };
}

/** The API a kind speaks. */
export function apiOfKind(kind: ProviderKind): WireApi | undefined {
  if (kind === 'openai' || kind === 'azure-openai') return 'chat';
  if (kind === 'openai-responses') return 'responses';
  if (kind === 'anthropic') return 'anthropic';
  return undefined;
}

/** Base URLs in both conventions: OpenAI-style (with `/v1`) and Anthropic-style (without). */
export function baseUrls(target: Pick<DoctorTarget, 'kind' | 'baseUrl'>): { openai: string; anthropic: string } {
  const base = target.baseUrl.replace(/\/+$/, '');
  if (target.kind === 'anthropic') return { openai: `${base}/v1`, anthropic: base };
  return { openai: base, anthropic: base.replace(/\/v1$/, '') };
}

export interface ProbeTiming {
  /** Request sent → response headers. */
  headersMs?: number;
  /** Request sent → first text or reasoning. */
  firstTokenMs?: number;
  totalMs: number;
}

export interface ProbeResult {
  api: WireApi;
  /** What this request tried, in words ("stream + stream_options"). */
  title: string;
  /** The URL without its query. */
  url: string;
  streamRequested: boolean;
  streamOptions: boolean;
  status?: number;
  contentType?: string;
  outcome: 'ok' | 'httpError' | 'network' | 'timeout' | 'cancelled';
  /** The server's or the network's words, for a failed probe or an error inside the stream. */
  error?: string;
  /** The body was an event stream. */
  sse: boolean;
  /** The body had this API's shape (chunks with choices, response.* events, message_start…). */
  recognized: boolean;
  /** Non-empty text payloads in arrival order (the first 64). */
  payloads: string[];
  reasoningField?: string;
  reasoningChars: number;
  usage: UsagePlace;
  finishReason?: string;
  /** The end marker seen: [DONE], message_stop, response.completed. */
  terminator?: string;
  timing: ProbeTiming;
}

export interface DoctorIo {
  fetch: typeof fetch;
  signal?: AbortSignal;
  now?: () => number;
  /** Longest one probe may take (default 30 s). */
  probeTimeoutMs?: number;
}

interface ProbeSpec {
  api: WireApi;
  title: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  stream: boolean;
  streamOptions: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads one probe's response as it arrives and notes what it shows. */
class ProbeReader {
  private usageMarks: Array<{ choices: number; content: boolean; finish: boolean }> = [];
  private usageInChoice = false;
  private sawUsage = false;

  constructor(readonly r: ProbeResult, private readonly at: () => number) {}

  private token(): void {
    this.r.timing.firstTokenMs ??= this.at();
  }

  private text(t: unknown): void {
    if (typeof t !== 'string' || !t) return;
    this.token();
    if (this.r.payloads.length < 64) this.r.payloads.push(t);
  }

  private reasoning(field: string, t: unknown): void {
    if (typeof t !== 'string' || !t) return;
    this.token();
    this.r.reasoningField ??= field;
    this.r.reasoningChars += t.length;
  }

  event(ev: SseEvent): void {
    const data = ev.data.trim();
    if (!data || data.startsWith(':')) return;
    if (data === '[DONE]') {
      this.r.terminator = '[DONE]';
      return;
    }
    const j = tryJson(data);
    if (!isRecord(j)) return;
    if (this.r.api === 'chat') this.chat(j);
    else if (this.r.api === 'responses') this.responses(j, ev.event);
    else this.anthropic(j, ev.event);
  }

  private chat(j: Record<string, unknown>): void {
    if (j.error) {
      this.r.error ??= describeBody(j).message ?? l10n.t('an error event');
      return;
    }
    if (!Array.isArray(j.choices)) return;
    this.r.recognized = true;
    const choices = j.choices as Array<Record<string, unknown>>;
    const c0 = choices.find((c) => isRecord(c) && (c.index ?? 0) === 0) ?? choices[0];
    const delta = (isRecord(c0?.delta) ? c0.delta : isRecord(c0?.message) ? c0.message : {}) as Record<string, unknown>;
    for (const k of REASONING_KEYS) this.reasoning(`delta.${k}`, delta[k]);
    const content = typeof delta.content === 'string' ? delta.content : '';
    this.text(content);
    const finish = typeof c0?.finish_reason === 'string' && c0.finish_reason ? c0.finish_reason : undefined;
    if (finish) this.r.finishReason = finish;
    if (isRecord(j.usage)) this.usageMarks.push({ choices: choices.length, content: !!content, finish: !!finish });
    else if (isRecord(c0?.usage)) this.usageInChoice = true;
  }

  private responses(j: Record<string, unknown>, event: string): void {
    const type = typeof j.type === 'string' ? j.type : event;
    if (!type.startsWith('response.') && type !== 'error') return;
    this.r.recognized ||= type.startsWith('response.');
    if (type === 'response.output_text.delta') this.text(j.delta);
    else if (type === 'response.reasoning_summary_text.delta') this.reasoning('response.reasoning_summary_text.delta', j.delta);
    else if (type === 'response.reasoning_text.delta') this.reasoning('response.reasoning_text.delta', j.delta);
    else if (type === 'response.completed' || type === 'response.incomplete') {
      this.r.terminator = type;
      const res = isRecord(j.response) ? j.response : {};
      if (isRecord(res.usage)) this.sawUsage = true;
      this.r.finishReason = type === 'response.completed' ? 'completed' : 'incomplete';
    } else if (type === 'response.failed' || type === 'error') {
      this.r.error ??= describeBody(isRecord(j.response) ? j.response : j).message ?? type;
    }
  }

  private anthropic(j: Record<string, unknown>, event: string): void {
    const type = typeof j.type === 'string' ? j.type : event;
    if (type === 'message_start') {
      this.r.recognized = true;
      if (isRecord(j.message) && isRecord(j.message.usage)) this.sawUsage = true;
    } else if (type === 'content_block_delta' && isRecord(j.delta)) {
      if (j.delta.type === 'thinking_delta') this.reasoning('thinking (thinking_delta)', j.delta.thinking);
      else this.text(j.delta.text);
    } else if (type === 'message_delta') {
      if (isRecord(j.usage)) this.sawUsage = true;
      if (isRecord(j.delta) && typeof j.delta.stop_reason === 'string') this.r.finishReason = j.delta.stop_reason;
    } else if (type === 'message_stop') {
      this.r.terminator = 'message_stop';
    } else if (type === 'error') {
      this.r.error ??= describeBody(j).message ?? l10n.t('an error event');
    }
  }

  /** A whole JSON answer (the server did not stream). */
  whole(j: unknown): void {
    if (!isRecord(j)) return;
    if (this.r.api === 'chat' && Array.isArray(j.choices)) {
      this.r.recognized = true;
      const c0 = (j.choices as Array<Record<string, unknown>>)[0];
      const msg = isRecord(c0?.message) ? c0.message : {};
      for (const k of REASONING_KEYS) this.reasoning(`message.${k}`, msg[k]);
      this.text(msg.content);
      if (typeof c0?.finish_reason === 'string') this.r.finishReason = c0.finish_reason;
    } else if (this.r.api === 'responses' && j.object === 'response') {
      this.r.recognized = true;
      for (const item of Array.isArray(j.output) ? j.output : []) {
        for (const c of isRecord(item) && Array.isArray(item.content) ? item.content : []) if (isRecord(c)) this.text(c.text);
      }
    } else if (this.r.api === 'anthropic' && j.type === 'message') {
      this.r.recognized = true;
      for (const c of Array.isArray(j.content) ? j.content : []) if (isRecord(c)) this.text(c.text);
      if (typeof j.stop_reason === 'string') this.r.finishReason = j.stop_reason;
    } else if (j.error) {
      this.r.error ??= describeBody(j).message;
    }
    if (this.r.recognized && isRecord(j.usage)) this.r.usage = 'body';
  }

  finish(): void {
    if (this.r.usage === 'body') return;
    if (this.r.api !== 'chat') {
      this.r.usage = this.sawUsage ? (this.r.api === 'responses' ? 'completed' : 'messageEvents') : 'none';
      return;
    }
    const marks = this.usageMarks;
    if (!marks.length) this.r.usage = this.usageInChoice ? 'choice' : 'none';
    else if (marks.length > 1 && marks.some((m) => m.content)) this.r.usage = 'every';
    else if (marks[marks.length - 1].choices === 0) this.r.usage = 'final';
    else this.r.usage = 'finish';
  }
}

async function runProbe(spec: ProbeSpec, io: DoctorIo): Promise<ProbeResult> {
  const now = io.now ?? Date.now;
  const t0 = now();
  const at = () => Math.round(now() - t0);
  const r: ProbeResult = {
    api: spec.api, title: spec.title, url: safeOrigin(spec.url), streamRequested: spec.stream, streamOptions: spec.streamOptions,
    outcome: 'ok', sse: false, recognized: false, payloads: [], reasoningChars: 0, usage: 'none', timing: { totalMs: 0 },
  };
  const reader = new ProbeReader(r, at);
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, io.probeTimeoutMs ?? 30_000);
  const onAbort = () => ctl.abort();
  io.signal?.addEventListener('abort', onAbort);
  if (io.signal?.aborted) ctl.abort();
  try {
    const res = await io.fetch(spec.url, { method: 'POST', headers: { 'content-type': 'application/json', ...spec.headers }, body: JSON.stringify(spec.body), signal: ctl.signal });
    r.status = res.status;
    r.contentType = res.headers.get('content-type') ?? undefined;
    r.timing.headersMs = at();
    if (!res.ok) {
      r.outcome = 'httpError';
      const text = await res.text();
      r.error = describeBody(text).message ?? `HTTP ${res.status}`;
      return r;
    }
    const decoder = new TextDecoder();
    const parser = new SseParser({ flushAtEof: true });
    let whole = '';
    let mode: 'sse' | 'json' | undefined = /event-stream/i.test(r.contentType ?? '') ? 'sse' : undefined;
    const body = res.body;
    if (body) {
      const chunks = body.getReader();
      try {
        for (;;) {
          const { done, value } = await chunks.read();
          if (done) break;
          const piece = decoder.decode(value, { stream: true });
          if (!mode) {
            whole += piece;
            const lead = whole.trimStart();
            if (!lead) continue;
            mode = /^(data|event|id|retry):|^:/.test(lead) ? 'sse' : 'json';
            if (mode === 'sse') {
              for (const ev of parser.push(whole)) reader.event(ev);
              whole = '';
            }
            continue;
          }
          if (mode === 'sse') for (const ev of parser.push(piece)) reader.event(ev);
          else whole += piece;
        }
      } finally {
        chunks.releaseLock();
      }
    }
    whole += decoder.decode();
    if (mode === 'sse') {
      r.sse = true;
      for (const ev of parser.end()) reader.event(ev);
    } else {
      const json = tryJson(whole);
      if (json === undefined) r.error ??= describeBody(whole).message ?? l10n.t('an empty answer');
      else reader.whole(json);
    }
    reader.finish();
  } catch (err) {
    if (timedOut) {
      r.outcome = 'timeout';
      r.error = l10n.t('no complete answer within {0} ms', io.probeTimeoutMs ?? 30_000);
    } else if (io.signal?.aborted) {
      r.outcome = 'cancelled';
      r.error = l10n.t('cancelled');
    } else {
      r.outcome = 'network';
      r.error = errorFromNetwork(err, spec.url).message;
    }
  } finally {
    clearTimeout(timer);
    io.signal?.removeEventListener('abort', onAbort);
    ctl.abort(); // whatever is left of the body is not read
    r.timing.totalMs = at();
  }
  return r;
}

/** The request of one probe, as the provider's own adapter would send it (only smaller). */
function spec(target: DoctorTarget, api: WireApi, opts: { stream: boolean; streamOptions?: boolean; cap?: string }): ProbeSpec {
  const urls = baseUrls(target);
  const extra = target.headers ?? {};
  const messages = [{ role: 'user', content: DOCTOR_TEXT.prompt }];
  const parts = [opts.stream ? l10n.t('stream') : l10n.t('no stream')];
  if (opts.streamOptions) parts.push('stream_options');
  if (opts.cap && opts.cap !== 'max_tokens') parts.push(opts.cap);
  const title = `${DOCTOR_TEXT.api[api]}: ${parts.join(' + ')}`;
  if (api === 'chat') {
    const azure = target.kind === 'azure-openai';
    const url = azure
      ? `${urls.openai}/openai/deployments/${encodeURIComponent(target.model)}/chat/completions?api-version=${encodeURIComponent(target.apiVersion ?? '2024-10-21')}`
      : `${urls.openai}/chat/completions`;
    const auth: Record<string, string> = target.apiKey ? (azure ? { 'api-key': target.apiKey } : { authorization: `Bearer ${target.apiKey}` }) : {};
    const body: Record<string, unknown> = { ...target.params, model: target.model, messages, stream: opts.stream, [opts.cap ?? 'max_tokens']: PROBE_TOKENS };
    if (opts.streamOptions) body.stream_options = { include_usage: true };
    return { api, title, url, headers: { ...auth, ...extra }, body, stream: opts.stream, streamOptions: !!opts.streamOptions };
  }
  if (api === 'responses') {
    const auth: Record<string, string> = target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
    const body = { model: target.model, input: DOCTOR_TEXT.prompt, stream: opts.stream, max_output_tokens: PROBE_TOKENS };
    return { api, title, url: `${urls.openai}/responses`, headers: { ...auth, ...extra }, body, stream: opts.stream, streamOptions: false };
  }
  const auth: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION, ...(target.apiKey ? { 'x-api-key': target.apiKey } : {}) };
  const body = { model: target.model, messages, stream: opts.stream, max_tokens: PROBE_TOKENS };
  return { api, title, url: `${urls.anthropic}/v1/messages`, headers: { ...auth, ...extra }, body, stream: opts.stream, streamOptions: false };
}

const rejected = (p: ProbeResult) => p.outcome === 'httpError' && (p.status === 400 || p.status === 422);
const works = (p: ProbeResult) => p.outcome === 'ok' && p.recognized && !p.error;

/**
 * Runs the probes, the profile's own API first: Chat Completions (with `stream_options`, then
 * without it if that was refused, then without streaming if streaming failed), Responses and
 * Anthropic Messages (not for Azure, whose URLs are its own). Sequential: a handful of tiny requests.
 */
export async function runProbes(target: DoctorTarget, io: DoctorIo): Promise<ProbeResult[]> {
  const own = apiOfKind(target.kind) ?? 'chat';
  const apis: WireApi[] = target.kind === 'azure-openai' ? ['chat'] : [own, ...(['chat', 'responses', 'anthropic'] as const).filter((a) => a !== own)];
  const out: ProbeResult[] = [];
  const run = async (s: ProbeSpec) => {
    const r = await runProbe(s, io);
    out.push(r);
    return r;
  };
  for (const api of apis) {
    if (io.signal?.aborted) break;
    if (api !== 'chat') {
      await run(spec(target, api, { stream: true }));
      continue;
    }
    let cap = 'max_tokens';
    let first = await run(spec(target, 'chat', { stream: true, streamOptions: true, cap }));
    // o-series models refuse max_tokens: ask again the way they want, before judging stream_options.
    if (rejected(first) && /max_tokens/.test(first.error ?? '') && !/stream_options/.test(first.error ?? '')) {
      cap = 'max_completion_tokens';
      first = await run(spec(target, 'chat', { stream: true, streamOptions: true, cap }));
    }
    let streamed = works(first) ? first : undefined;
    if (!streamed && rejected(first)) {
      const plain = await run(spec(target, 'chat', { stream: true, cap }));
      if (works(plain)) streamed = plain;
    }
    if (!streamed && first.outcome !== 'network' && first.status !== 404 && first.status !== 401 && first.status !== 403 && !io.signal?.aborted) {
      await run(spec(target, 'chat', { stream: false, cap }));
    }
  }
  return out;
}

export type ApiVerdict = 'yes' | 'no' | 'unknown' | 'untested';

export interface Findings {
  apis: Record<WireApi, ApiVerdict>;
  /** The API the findings below describe: the profile's own if it answered, else one that did. */
  api?: WireApi;
  /** True: it streams (server-sent events); false: it answered with one whole JSON even when asked to stream. */
  streams?: boolean;
  streamOptions?: 'accepted' | 'rejected' | 'ignored';
  chunks?: ChunkStyle;
  reasoningField?: string;
  usage?: UsagePlace;
  /** When nothing answered: why, in the server's words (auth, network…). */
  problem?: string;
}

/** Deltas or cumulative, from the text payloads in arrival order. */
export function chunkStyle(payloads: readonly string[]): ChunkStyle {
  if (payloads.length === 0) return 'none';
  if (payloads.length === 1) return 'single';
  let grew = false;
  for (let i = 1; i < payloads.length; i++) {
    const prev = payloads[i - 1];
    const cur = payloads[i];
    if (!cur.startsWith(prev)) return 'delta';
    if (cur.length > prev.length) grew = true;
  }
  return grew ? 'cumulative' : 'delta';
}

function verdict(probes: ProbeResult[]): ApiVerdict {
  if (!probes.length) return 'untested';
  if (probes.some(works)) return 'yes';
  // Not there (404, 405), or an answer of another shape (a server that answers anything alike).
  if (probes.some((p) => p.status === 404 || p.status === 405 || (p.outcome === 'ok' && !p.recognized && !p.error))) return 'no';
  return 'unknown';
}

/** What the probes show, for the report and the suggestion. */
export function findingsOf(kind: ProviderKind, probes: ProbeResult[]): Findings {
  const of = (api: WireApi) => probes.filter((p) => p.api === api);
  const apis: Record<WireApi, ApiVerdict> = { chat: verdict(of('chat')), responses: verdict(of('responses')), anthropic: verdict(of('anthropic')) };
  const own = apiOfKind(kind) ?? 'chat';
  // Another API is only a finding when the profile's own is plainly not there (a 401 or a 500 says nothing).
  const api = apis[own] === 'yes' ? own : apis[own] === 'no' ? (['chat', 'responses', 'anthropic'] as const).find((a) => apis[a] === 'yes') : undefined;
  const f: Findings = { apis, ...(api ? { api } : {}) };
  if (!api) {
    const failed = probes.find((p) => p.api === own) ?? probes[0];
    if (failed) f.problem = `${failed.status ? `HTTP ${failed.status}: ` : ''}${failed.error ?? l10n.t('no recognizable answer')}`;
    return f;
  }
  const answered = of(api).filter(works);
  const streamed = answered.find((p) => p.streamRequested && p.sse);
  f.streams = !!streamed;
  if (api === 'chat') {
    const withOptions = of('chat').filter((p) => p.streamOptions);
    if (streamed?.streamOptions) f.streamOptions = streamed.usage === 'none' ? 'ignored' : 'accepted';
    else if (streamed && withOptions.some(rejected)) f.streamOptions = 'rejected';
  }
  const best = streamed ?? answered[0];
  f.chunks = streamed ? chunkStyle(streamed.payloads) : best.payloads.length ? 'single' : 'none';
  if (best.reasoningField) f.reasoningField = best.reasoningField;
  f.usage = best.usage;
  return f;
}

/** Profile fields to set and to remove, and why, in words. */
export interface Suggestion {
  set: Partial<ProviderProfile>;
  unset: Array<keyof ProviderProfile>;
  reasons: string[];
}

export const hasChanges = (s: Suggestion) => Object.keys(s.set).length > 0 || s.unset.length > 0;

/** The profile with a suggestion applied. */
export function applySuggestion(profile: ProviderProfile, s: Suggestion): ProviderProfile {
  const out: Record<string, unknown> = { ...profile, ...s.set };
  for (const k of s.unset) delete out[k];
  return out as unknown as ProviderProfile;
}

/**
 * The profile fields that match what was found. Only what the probes showed is touched: a kind
 * that answers where the profile's does not, `stream`, `streamUsage`, and for chunks that repeat
 * the whole text so far the `sse` kind with `cumulative: true` (the chat adapters expect deltas).
 */
export function suggest(profile: ProviderProfile, f: Findings): Suggestion {
  const s: Suggestion = { set: {}, unset: [], reasons: [] };
  if (profile.kind === 'sse') {
    if (f.chunks === 'cumulative' && profile.cumulative !== true) {
      s.set.cumulative = true;
      s.reasons.push(l10n.t('Each event repeats the whole text so far: `cumulative: true` turns it into new text only.'));
    } else if (f.chunks === 'delta' && profile.cumulative === true) {
      s.unset.push('cumulative');
      s.reasons.push(l10n.t('Each event carries new text only: `cumulative` must be off, or most of the answer is dropped.'));
    }
    return s;
  }
  const own = apiOfKind(profile.kind);
  if (!own || !f.api) return s;
  const base = baseUrls({ kind: profile.kind, baseUrl: baseUrlOf(profile) });
  let kind: ProviderKind = profile.kind;
  if (f.api !== own && profile.kind !== 'azure-openai') {
    kind = f.api === 'chat' ? 'openai' : f.api === 'responses' ? 'openai-responses' : 'anthropic';
    s.set.kind = kind;
    const url = kind === 'anthropic' ? base.anthropic : base.openai;
    if (url !== baseUrlOf(profile)) s.set.baseUrl = url;
    s.reasons.push(f.apis[own] === 'no'
      ? l10n.t('The endpoint does not answer {0} requests (not found) but speaks {1}: `kind: "{2}"`.', DOCTOR_TEXT.api[own], DOCTOR_TEXT.api[f.api], kind)
      : l10n.t('The endpoint does not answer {0} requests (no usable answer) but speaks {1}: `kind: "{2}"`.', DOCTOR_TEXT.api[own], DOCTOR_TEXT.api[f.api], kind));
  }
  if (f.api === 'chat') {
    if (f.chunks === 'cumulative') {
      Object.assign(s.set, {
        kind: 'sse', url: `${base.openai}/chat/completions`, body: { model: '{{model}}', messages: '{{messages}}', stream: true },
        textPath: 'choices.0.delta.content', cumulative: true, doneWhen: '[DONE]',
      });
      delete s.set.baseUrl;
      s.unset.push('baseUrl', 'streamUsage', 'stream');
      s.reasons.push(l10n.t('Each chunk repeats the whole text so far, which the chat kinds would show twice: the `sse` kind with `cumulative: true` reads it right.'));
      return s;
    }
    if (f.streams === false && profile.stream !== false) {
      s.set.stream = false;
      s.reasons.push(l10n.t('The server answers with one whole JSON even when asked to stream: `stream: false` asks for exactly that.'));
    } else if (f.streams && profile.stream === false) {
      s.unset.push('stream');
      s.reasons.push(l10n.t('The server streams: removing `stream: false` shows the answer as it is written.'));
    }
    if (f.streamOptions === 'rejected' && profile.streamUsage !== false) {
      s.set.streamUsage = false;
      s.reasons.push(l10n.t('The server refuses `stream_options`: `streamUsage: false` leaves it out.'));
    } else if ((f.streamOptions === 'accepted' || f.streamOptions === 'ignored') && profile.streamUsage === false) {
      s.unset.push('streamUsage');
      s.reasons.push(l10n.t('The server accepts `stream_options`: removing `streamUsage: false` lets it report token usage.'));
    }
  }
  return s;
}

/** The end-to-end check: the profile as configured, through the same pipeline as every answer. */
export interface PipelineCheck {
  ok: boolean;
  text: string;
  reasoningChars: number;
  finishReason: string;
  error?: { kind: string; message: string; status?: number };
  usage?: Usage;
  firstTokenMs?: number;
  durationMs: number;
}

export function pipelineCheck(o: Outcome): PipelineCheck {
  return {
    ok: !o.error && o.finishReason !== 'cancelled',
    text: o.text,
    reasoningChars: o.reasoning.length,
    finishReason: o.finishReason,
    ...(o.error ? { error: { kind: o.error.kind, message: o.error.message, ...(o.error.status ? { status: o.error.status } : {}) } } : {}),
    ...(o.usage ? { usage: o.usage } : {}),
    ...(o.timing.firstTokenMs !== undefined ? { firstTokenMs: o.timing.firstTokenMs } : {}),
    durationMs: o.timing.durationMs,
  };
}

export interface DoctorReport {
  profile: ProviderProfile;
  /** Why no wire probes ran, when none did (a kind with a fixed wire, no key). */
  note?: string;
  pipeline?: PipelineCheck;
  probes: ProbeResult[];
  findings?: Findings;
  suggestion: Suggestion;
}

const ms = (n: number | undefined) => (n === undefined ? '—' : `${n} ms`);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const short = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function probeNote(p: ProbeResult): string {
  if (p.outcome !== 'ok') return p.error ?? p.outcome;
  if (p.error) return l10n.t('error in the answer: {0}', p.error);
  if (!p.recognized) return l10n.t('answered, but not as {0}', DOCTOR_TEXT.api[p.api]);
  const text = p.payloads.join('');
  const how = p.sse ? l10n.t('streamed, {0} text chunk(s)', p.payloads.length) : l10n.t('one whole answer');
  return text ? l10n.t('{0}: "{1}"', how, short(text)) : how;
}

/** The report as Markdown: what was found, each request with its timings, and the suggested fields. */
export function doctorMarkdown(r: DoctorReport): string {
  const p = r.profile;
  const lines: string[] = [];
  lines.push(`# ${l10n.t('Ask LLM: test of "{0}"', labelOf(p))}`, '');
  const where = p.kind === 'sse' ? p.url ?? '' : p.kind === 'vscode-lm' ? l10n.t('VS Code language models') : baseUrlOf(p);
  lines.push(l10n.t('Profile `{0}` · kind `{1}` · model `{2}` · {3}', p.id, p.kind, p.model || l10n.t('(first available)'), where), '');
  if (r.pipeline) {
    const c = r.pipeline;
    lines.push(`## ${l10n.t('Your profile as it is')}`, '');
    if (c.ok) {
      const facts = [l10n.t('first token {0}', ms(c.firstTokenMs)), l10n.t('done in {0}', ms(c.durationMs)), l10n.t('finish `{0}`', c.finishReason)];
      facts.push(c.usage ? l10n.t('usage {0} in / {1} out', c.usage.inputTokens ?? '?', c.usage.outputTokens ?? '?') : l10n.t('no usage reported'));
      if (c.reasoningChars) facts.push(l10n.t('{0} characters of reasoning', c.reasoningChars));
      lines.push(l10n.t('✓ Answered "{0}" — {1}.', short(c.text.trim(), 80), facts.join(l10n.t(', '))));
    } else if (c.error) {
      lines.push(`✗ ${c.error.kind}${c.error.status ? ` (HTTP ${c.error.status})` : ''}: ${c.error.message}`);
    } else {
      lines.push(l10n.t('Stopped ({0}) after {1}.', c.finishReason, ms(c.durationMs)));
    }
    lines.push('');
  }
  const f = r.findings;
  if (f) {
    lines.push(`## ${l10n.t('What the endpoint does')}`, '', '| | |', '|---|---|');
    const say = { yes: l10n.t('✓ yes'), no: l10n.t('✗ no'), unknown: l10n.t('? could not tell'), untested: l10n.t('— not tried') } as Record<ApiVerdict, string>;
    for (const api of ['chat', 'responses', 'anthropic'] as const) lines.push(`| ${l10n.t('Speaks {0}', DOCTOR_TEXT.api[api])} | ${say[f.apis[api]]} |`);
    if (f.api) {
      lines.push(`| ${l10n.t('Streams')} | ${f.streams ? l10n.t('yes (server-sent events)') : l10n.t('no: one whole answer')} |`);
      const options = f.streamOptions === 'rejected' ? l10n.t('refused') : f.streamOptions === 'accepted' ? l10n.t('accepted') : f.streamOptions === 'ignored' ? l10n.t('accepted, but no usage came') : '—';
      if (f.api === 'chat') lines.push(`| \`stream_options\` | ${options} |`);
      lines.push(`| ${l10n.t('Chunks')} | ${DOCTOR_TEXT.chunks[f.chunks ?? 'none']} |`);
      lines.push(`| ${l10n.t('Reasoning')} | ${f.reasoningField ? `\`${f.reasoningField}\`` : l10n.t('none seen (the model may not reason)')} |`);
      lines.push(`| ${l10n.t('Usage arrives')} | ${DOCTOR_TEXT.usage[f.usage ?? 'none']} |`);
    } else if (f.problem) {
      lines.push(`| ${l10n.t('Problem')} | ${cell(f.problem)} |`);
    }
    lines.push('');
  }
  if (r.note) lines.push(`> ${r.note}`, '');
  if (r.probes.length) {
    lines.push(`## ${l10n.t('Requests')}`, '', l10n.t('| # | request | status | headers | first token | total | what came back |'), '|---|---|---|---|---|---|---|');
    r.probes.forEach((x, i) => lines.push(`| ${i + 1} | ${cell(x.title)}<br>\`POST ${cell(x.url)}\` | ${x.status ?? '—'} | ${ms(x.timing.headersMs)} | ${ms(x.timing.firstTokenMs)} | ${ms(x.timing.totalMs)} | ${cell(probeNote(x))} |`));
    lines.push('');
  }
  lines.push(`## ${l10n.t('Suggested profile fields')}`, '');
  if (!hasChanges(r.suggestion)) {
    lines.push(l10n.t('Nothing to change: the profile matches what the endpoint does.'));
  } else {
    for (const reason of r.suggestion.reasons) lines.push(`- ${reason}`);
    lines.push('', l10n.t('The profile after the change:'), '', '```json', JSON.stringify(applySuggestion(p, r.suggestion), null, 2), '```');
  }
  lines.push('');
  return lines.join('\n');
}
