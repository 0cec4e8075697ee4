// The flight recorder: the raw bytes of the last answers' HTTP responses, with the time each piece
// arrived, kept in memory so that a user who meets a misbehaving provider can save one as a fixture
// (core/fixtureFile.ts) and we can replay it byte for byte, at its own pace.
//
// Cost while streaming: the HTTP edge (providers/http.ts) pushes each body chunk's reference and a
// timestamp into the current capture; nothing is copied or decoded then. When the answer ends, its
// last exchange is cleaned of keys and tokens (one pass over its bytes) and the raw pieces and any
// earlier exchanges (ERNIE's token request, retried attempts) are let go: what stays in memory has
// no secret in it. Bounded: at most `maxAnswers` answers, at most `maxBytesPerAnswer` bytes of
// each (past that the capture stops and is marked truncated), at most `maxTotalBytes` in all (the
// oldest answers go first).
import type { ChatMessage, FinishReason, LlmErrorInfo, LlmEvent, ProviderProfile, Usage } from './types';

export const RECORDER_LIMITS = {
  maxAnswers: 20,
  /** A long answer from a chatty API (OpenAI's obfuscation padding: ~300 bytes a token) fits. */
  maxBytesPerAnswer: 4 * 1024 * 1024,
  maxTotalBytes: 24 * 1024 * 1024,
};

/** What stands in for a secret in a recording. */
export const REDACTED = '‹redacted›';

/** One HTTP request and its response, as the edge saw them. */
export interface ExchangeStart {
  method: string;
  url: string;
  /** The request's headers as fetch got them (a record, a Headers object or pairs). */
  requestHeaders?: unknown;
  /** The request's body, when it is text (JSON); anything else is not kept. */
  requestBody?: unknown;
  status: number;
  statusText?: string;
  responseHeaders: Iterable<[string, string]>;
  /** When the request went out, on the recorder's clock (performance.now()); its headers arrived now. */
  sentAt?: number;
}

/** Where the HTTP edge puts one response's body as it arrives. */
export interface Capture {
  /** A piece of the body, as it arrived (the reference is kept, not a copy). */
  push(chunk: Uint8Array): void;
  /** The whole body of an error response, read apart from the stream. */
  whole(text: string): void;
}

/** What a request takes along for the recorder (AdapterRequest.recorder): a capture per response. */
export interface ExchangeRecorder {
  exchange(start: ExchangeStart): Capture;
}

/** One exchange after the answer ended: cleaned of secrets. */
export interface RecordedExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** The request body as sent (JSON text), secrets removed; undefined when it was not text. */
  requestBody?: string;
  status: number;
  statusText?: string;
  responseHeaders: Record<string, string>;
  /** The response body as it arrived, secrets removed. */
  body: Uint8Array;
  /** Where each arrived piece ends in `body` (the last is `body.length`). */
  pieceEnds: number[];
  /** When each piece arrived, in ms since the response's headers. */
  pieceMs: number[];
  /** From sending the request to its response's headers, in ms. */
  headersMs: number;
  /** The body went past the size limit: only its start was kept. */
  truncated: boolean;
}

/** How the answer ended, from its events (the fixture's expected result). */
export interface RecordedResult {
  text: string;
  reasoning: string;
  toolCalls: Array<{ id?: string; name: string; arguments: string }>;
  usage?: Usage;
  finishReason?: FinishReason;
  nativeFinishReason?: string;
  error?: LlmErrorInfo;
}

/** One answer in the recorder. */
export interface Recording {
  /** 1, 2, 3… in the order answers began. */
  seq: number;
  /** When it began, ms since the epoch. */
  at: number;
  /** The profile's id and the fields a replay needs to parse the bytes the same way (no key, no base URL). */
  profile: Pick<ProviderProfile, 'id' | 'kind' | 'model'> & Partial<Pick<ProviderProfile, 'label' | 'stream' | 'textPath' | 'doneWhen' | 'cumulative' | 'body' | 'params' | 'apiVersion' | 'streamUsage'>>;
  model: string;
  /** The question: the last user message, as sent (for the picker and a replay's prompt). */
  question: string;
  /** The answer's response (the last exchange), once the answer has ended. */
  exchange?: RecordedExchange;
  result: RecordedResult;
  /** Bytes this recording holds. */
  bytes: number;
  ended: boolean;
}

/** What a recorder shows its owner as an answer goes. */
export interface AnswerRecording {
  /** The secrets of this answer (keys, a proxy's password): cleaned out of everything it keeps. */
  addSecrets(secrets: ReadonlyArray<string | undefined>): void;
  /** The recorder the answer's requests take along. */
  readonly exchanges: ExchangeRecorder;
  /** Each event the answer yields (text, the terminal one…): cheap, kept for the expected result. */
  event(ev: LlmEvent): void;
  /** The answer is over: its last response is cleaned and kept, everything else let go. */
  end(): void;
}

interface LiveExchange {
  start: ExchangeStart;
  sentAt: number;
  headersAt: number;
  chunks: Uint8Array[];
  times: number[];
  errorText?: string;
  truncated: boolean;
}

/** Request headers whose value is a credential, whatever the profile calls them. */
const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie|signature|password|credential/i;
/** Query parameters that carry a credential (ERNIE's access_token, Google's key, the token request's client id and secret). */
const SECRET_PARAM = /^(access_token|token|key|api[-_]?key|apikey|client_id|client_secret|secret|signature|sig|password|auth)$/i;

/**
 * The last answers' raw responses. `begin` at the start of each answer; the HTTP edge fills its
 * captures; `end` cleans and keeps it. `now` is a monotonic clock in ms.
 */
export class FlightRecorder {
  private readonly answers: Recording[] = [];
  private seq = 0;

  constructor(readonly limits = RECORDER_LIMITS, private readonly now: () => number = () => performance.now(), private readonly wallClock: () => number = Date.now) {}

  /** The recordings, newest first (ended ones, and any still streaming). */
  list(): Recording[] {
    return [...this.answers].reverse();
  }

  get(seq: number): Recording | undefined {
    return this.answers.find((r) => r.seq === seq);
  }

  /** Bytes held in all. */
  get bytes(): number {
    return this.answers.reduce((n, r) => n + r.bytes, 0);
  }

  /** Starts recording one answer. */
  begin(profile: ProviderProfile, model: string, messages: readonly ChatMessage[]): AnswerRecording {
    const recording: Recording = {
      seq: ++this.seq,
      at: this.wallClock(),
      profile: replayFields(profile),
      model,
      question: [...messages].reverse().find((m) => m.role === 'user')?.content ?? '',
      result: { text: '', reasoning: '', toolCalls: [] },
      bytes: 0,
      ended: false,
    };
    this.answers.push(recording);
    this.trim();
    const secrets = new Set<string>();
    const live: LiveExchange[] = [];
    let held = 0;
    const cap = this.limits.maxBytesPerAnswer;
    const now = this.now;
    const exchanges: ExchangeRecorder = {
      exchange: (start) => {
        const headersAt = now();
        const x: LiveExchange = { start, sentAt: start.sentAt ?? headersAt, headersAt, chunks: [], times: [], truncated: false };
        live.push(x);
        return {
          // The hot path: a reference and a timestamp per chunk.
          push: (chunk) => {
            if (held >= cap) {
              x.truncated = true;
              return;
            }
            x.chunks.push(chunk);
            x.times.push(now());
            held += chunk.byteLength;
          },
          whole: (text) => {
            x.errorText = text;
          },
        };
      },
    };
    return {
      exchanges,
      addSecrets: (list) => {
        for (const s of list) {
          if (!s || s.trim().length < 6) continue;
          secrets.add(s);
          secrets.add(s.trim());
        }
      },
      event: (ev) => {
        const r = recording.result;
        switch (ev.type) {
          case 'text': if (r.text.length < cap) r.text += ev.text; break;
          case 'reasoning': if (r.reasoning.length < cap) r.reasoning += ev.text; break;
          case 'toolCall': r.toolCalls.push({ ...(ev.id ? { id: ev.id } : {}), name: ev.name, arguments: ev.arguments }); break;
          case 'usage': r.usage = { inputTokens: ev.inputTokens, outputTokens: ev.outputTokens, totalTokens: ev.totalTokens }; break;
          case 'end': r.finishReason = ev.finishReason; if (ev.nativeFinishReason) r.nativeFinishReason = ev.nativeFinishReason; break;
          case 'error': r.error = ev.error; break;
          default: break;
        }
      },
      end: () => {
        if (recording.ended) return;
        recording.ended = true;
        // Tokens the requests carried in their URLs (ERNIE's access token) are secrets too.
        for (const x of live) for (const v of secretParams(x.start.url)) secrets.add(v);
        const last = [...live].reverse().find((x) => !/\/oauth\/2\.0\/token\b/.test(x.start.url)) ?? live[live.length - 1];
        live.length = 0;
        if (last) {
          // A request bigger than the limit (a whole file attached) is not kept: the answer is what a replay needs.
          if (typeof last.start.requestBody === 'string' && last.start.requestBody.length > cap) last.start = { ...last.start, requestBody: undefined };
          recording.exchange = cleanExchange(last, [...secrets]);
          recording.bytes = recording.exchange.body.byteLength + (recording.exchange.requestBody?.length ?? 0) + recording.result.text.length + recording.result.reasoning.length;
        }
        for (const k of ['text', 'reasoning'] as const) recording.result[k] = redactText(recording.result[k], [...secrets]);
        if (recording.result.error) recording.result.error = { ...recording.result.error, message: redactText(recording.result.error.message, [...secrets]) };
        this.trim();
      },
    };
  }

  /** Keeps the newest answers within the limits. */
  private trim(): void {
    while (this.answers.length > this.limits.maxAnswers) this.answers.shift();
    while (this.answers.length > 1 && this.bytes > this.limits.maxTotalBytes) this.answers.shift();
  }
}

/** The fields of a profile a replay needs to read the bytes the same way: never a key, a URL, a proxy or headers. */
function replayFields(p: ProviderProfile): Recording['profile'] {
  const out: Recording['profile'] = { id: p.id, kind: p.kind, model: p.model };
  if (p.label !== undefined) out.label = p.label;
  for (const k of ['stream', 'streamUsage', 'textPath', 'doneWhen', 'cumulative', 'body', 'params', 'apiVersion'] as const) {
    if (p[k] !== undefined) (out as Record<string, unknown>)[k] = p[k];
  }
  return out;
}

/** Values of a URL's credential parameters. */
function secretParams(url: string): string[] {
  try {
    const out: string[] = [];
    new URL(url).searchParams.forEach((v, k) => {
      if (SECRET_PARAM.test(k) && v.length >= 6) out.push(v);
    });
    return out;
  } catch {
    return [];
  }
}

/** Every spelling of a secret that may show up in bytes: as is, URL-encoded, JSON-escaped. */
function spellings(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    for (const form of [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]) if (form.length >= 6) out.add(form);
  }
  // Longest first: a secret that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of spellings(secrets)) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** A URL with its credential parameters' values replaced, and any secret anywhere else in it. */
export function redactUrl(url: string, secrets: readonly string[]): string {
  let out = url;
  try {
    const u = new URL(url);
    let changed = false;
    for (const k of [...new Set(u.searchParams.keys())]) {
      if (SECRET_PARAM.test(k)) {
        u.searchParams.set(k, REDACTED);
        changed = true;
      }
    }
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
      changed = true;
    }
    if (changed) out = u.href.replace(encodeURIComponent(REDACTED), REDACTED);
    out = out.split(encodeURIComponent(REDACTED)).join(REDACTED);
  } catch {
    // not a URL: the secrets alone
  }
  return redactText(out, secrets);
}

/** Headers as a plain record of lower-case names, credential values replaced. */
export function redactHeaders(headers: unknown, secrets: readonly string[], request: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headerPairs(headers)) {
    const name = k.toLowerCase();
    const credential = request ? SECRET_HEADER.test(name) : /^(set-cookie|cookie|authorization|www-authenticate|proxy-authenticate)$/.test(name);
    // "Bearer ‹redacted›" keeps the scheme: a fixture then shows how the key was sent.
    out[name] = credential ? (/^(bearer|basic|token)\s/i.test(v) ? `${v.split(/\s/)[0]} ${REDACTED}` : REDACTED) : redactText(v, secrets);
  }
  return out;
}

function headerPairs(h: unknown): Array<[string, string]> {
  if (!h) return [];
  if (typeof (h as { forEach?: unknown }).forEach === 'function' && typeof (h as { get?: unknown }).get === 'function') {
    const out: Array<[string, string]> = [];
    (h as { forEach(cb: (v: string, k: string) => void): void }).forEach((v, k) => out.push([k, v]));
    return out;
  }
  if (Array.isArray(h)) return h.filter((p): p is [string, string] => Array.isArray(p) && p.length === 2).map(([k, v]) => [String(k), String(v)]);
  if (typeof h === 'object') return Object.entries(h as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]);
  return [];
}

/**
 * Joins the pieces and replaces every secret in the bytes. `ends`: where each piece ended (one per piece); they
 * move with the replacements (a piece boundary inside a secret moves to its end), so a replay
 * still cuts the body where the network did, wherever it did not cut a secret.
 */
export function redactBytes(pieces: readonly Uint8Array[], secrets: readonly string[]): { body: Uint8Array; ends: number[] } {
  const total = pieces.reduce((n, p) => n + p.byteLength, 0);
  const joined = new Uint8Array(total);
  const ends: number[] = [];
  let at = 0;
  for (const p of pieces) {
    joined.set(p, at);
    at += p.byteLength;
    ends.push(at);
  }
  const enc = new TextEncoder();
  const needles = spellings(secrets).map((s) => enc.encode(s));
  const hits: Array<[number, number]> = [];
  for (const n of needles) {
    for (let i = indexOf(joined, n, 0); i >= 0; i = indexOf(joined, n, i + n.length)) {
      if (!hits.some(([a, b]) => i < b && i + n.length > a)) hits.push([i, i + n.length]);
    }
  }
  if (!hits.length) return { body: joined, ends };
  hits.sort((a, b) => a[0] - b[0]);
  const mark = enc.encode(REDACTED);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const [a, b] of hits) {
    parts.push(joined.subarray(from, a), mark);
    from = b;
  }
  parts.push(joined.subarray(from));
  const body = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let w = 0;
  for (const p of parts) {
    body.set(p, w);
    w += p.byteLength;
  }
  /** Where an old offset lands in the new body. */
  const moved = (o: number) => {
    let shift = 0;
    for (const [a, b] of hits) {
      if (o <= a) break;
      if (o < b) return a + shift + mark.length; // inside a secret: after its mark
      shift += mark.length - (b - a);
    }
    return o + shift;
  };
  // A piece that lay wholly inside a secret is left empty (its end equals the one before).
  return { body, ends: ends.map(moved) };
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  if (!needle.length) return -1;
  const first = needle[0];
  outer: for (let i = hay.indexOf(first, from); i >= 0 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function cleanExchange(x: LiveExchange, secrets: string[]): RecordedExchange {
  const pieces = x.errorText !== undefined && !x.chunks.length ? [new TextEncoder().encode(x.errorText)] : x.chunks;
  const times = x.errorText !== undefined && !x.chunks.length ? [x.headersAt] : x.times;
  const { body, ends } = redactBytes(pieces, secrets);
  const body0 = typeof x.start.requestBody === 'string' ? redactText(x.start.requestBody, secrets) : undefined;
  return {
    method: x.start.method,
    url: redactUrl(x.start.url, secrets),
    requestHeaders: redactHeaders(x.start.requestHeaders, secrets, true),
    ...(body0 !== undefined ? { requestBody: body0 } : {}),
    status: x.start.status,
    ...(x.start.statusText ? { statusText: x.start.statusText } : {}),
    responseHeaders: redactHeaders(x.start.responseHeaders, secrets, false),
    body,
    pieceEnds: ends,
    pieceMs: times.slice(0, ends.length).map((t) => Math.max(0, t - x.headersAt)),
    headersMs: Math.max(0, x.headersAt - x.sentAt),
    truncated: x.truncated,
  };
}
