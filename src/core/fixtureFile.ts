// A recorded answer as a fixture in the format of test/fixtures/providers (README.md and
// FORMATS.md there): the raw body file (`.sse`, `.ndjson`, or `.json` for an error or a whole
// answer) and its `.expected.json` (the request, the response's status and headers, the expected
// result). What the recorder adds rides in the same file: `replay.split_at_byte_offsets` (where the
// network cut the body: the fixture server's `offsets` mode replays those), `replay.arrival_ms`
// (when each piece came) and `askllm` (the profile fields a replay needs to read it the same way).
// And back: a saved pair read into what a replay serves.
import { REDACTED, type Recording } from './flightRecorder';
import type { ProviderKind, ProviderProfile } from './types';

export interface FixturePair {
  /** `<base>.sse`, `<base>.ndjson` or `<base>.json`. */
  rawName: string;
  raw: Uint8Array;
  expectedName: string;
  expected: FixtureExpected;
}

/** The `.expected.json` of a recorded fixture (the fields this format defines, and ours). */
export interface FixtureExpected {
  fixture: string;
  provider: string;
  protocol: string;
  endpoint: { method: string; url: string };
  request_headers: Record<string, string>;
  request?: unknown;
  response: { status: number; headers: Record<string, string> };
  expected: {
    text: string;
    reasoning: string | null;
    refusal: null;
    tool_calls: Array<{ index: number; id?: string; type: 'function'; name: string; arguments: string }>;
    finish_reason: string | null;
    usage: null;
    usage_normalized: { input_tokens?: number; output_tokens?: number; total_tokens?: number } | null;
    error: { http_status: number | null; type: string; code: null; message: string; retryable: boolean; retry_after_ms?: number | null } | null;
    terminated_by: string;
  };
  replay: { split_at_byte_offsets: number[]; arrival_ms: number[]; headers_ms: number; why: string[] };
  askllm: {
    recorded_at: string;
    /** The profile fields that decide how the bytes are read (no key, no URL). */
    profile: Recording['profile'];
    model: string;
    /** The question, as sent (a replay asks it again). */
    question: string;
    truncated: boolean;
  };
  quirks: string[];
  sources: string[];
  raw_bytes: number;
}

const PROTOCOLS: Record<ProviderKind, string> = {
  openai: 'openai-chat-sse', 'azure-openai': 'openai-chat-sse', 'openai-completions': 'openai-completions-sse',
  'openai-responses': 'openai-responses-sse', anthropic: 'anthropic-sse', ollama: 'ollama-ndjson', dashscope: 'dashscope-sse',
  ernie: 'ernie-v1-sse', gemini: 'gemini-sse', sse: 'sse-spec', 'vscode-lm': 'vscode-lm',
};

/** The raw file's extension for a response. */
export function rawExtension(contentType: string | undefined, status: number): 'sse' | 'ndjson' | 'json' {
  if (status < 400 && /event-stream/i.test(contentType ?? '')) return 'sse';
  if (status < 400 && /ndjson|jsonl|x-ndjson/i.test(contentType ?? '')) return 'ndjson';
  return 'json';
}

/** A file name for a recording: `<kind>-<profile>-<yyyymmdd-hhmmss>`, only safe characters. */
export function fixtureBaseName(r: Pick<Recording, 'profile' | 'at'>): string {
  const d = new Date(r.at);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  const safe = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
  return `${safe(r.profile.kind)}-${safe(r.profile.id)}-${stamp}`;
}

/** How the stream ended, as the format names it, from the last bytes and the result. */
function terminatedBy(r: Recording, tail: string): string {
  if (r.result.finishReason === 'cancelled') return 'cancelled';
  if (r.exchange?.truncated) return 'truncated';
  if (/data:\s*\[DONE\]\s*$/.test(tail)) return r.result.error ? 'error-then-[DONE]' : '[DONE]';
  if (/message_stop/.test(tail)) return 'message_stop';
  if (/response\.completed/.test(tail)) return 'response.completed';
  if (/"done"\s*:\s*true/.test(tail)) return 'done:true';
  if (/"is_end"\s*:\s*true/.test(tail)) return 'is_end:true';
  if (r.result.error) return (r.exchange?.status ?? 0) >= 400 ? 'http-error' : 'error-then-eof';
  return r.result.finishReason ? 'finish_reason' : 'eof';
}

/** An ended recording as a fixture pair named `base`. Throws for one with no HTTP response (a vscode-lm answer). */
export function toFixture(r: Recording, base = fixtureBaseName(r)): FixturePair {
  const x = r.exchange;
  if (!x) throw new Error('This answer made no HTTP request, so there are no bytes to save.');
  const ext = rawExtension(x.responseHeaders['content-type'], x.status);
  const rawName = `${base}.${ext}`;
  const tail = new TextDecoder().decode(x.body.subarray(Math.max(0, x.body.length - 300)));
  let request: unknown;
  try {
    request = x.requestBody !== undefined ? JSON.parse(x.requestBody) : undefined;
  } catch {
    request = x.requestBody;
  }
  const res = r.result;
  const usage = res.usage;
  const offsets = [...new Set(x.pieceEnds.filter((e) => e > 0 && e < x.body.length))];
  const expected: FixtureExpected = {
    fixture: rawName,
    provider: r.profile.kind,
    protocol: x.status >= 400 ? 'http-error-json' : ext === 'json' ? `${PROTOCOLS[r.profile.kind]}-whole` : PROTOCOLS[r.profile.kind],
    endpoint: { method: x.method, url: x.url },
    request_headers: x.requestHeaders,
    ...(request !== undefined ? { request } : {}),
    response: { status: x.status, headers: x.responseHeaders },
    expected: {
      text: res.text,
      reasoning: res.reasoning || null,
      refusal: null,
      tool_calls: res.toolCalls.map((t, index) => ({ index, ...(t.id ? { id: t.id } : {}), type: 'function', name: t.name, arguments: t.arguments })),
      finish_reason: res.error ? null : res.nativeFinishReason ?? res.finishReason ?? null,
      usage: null,
      usage_normalized: usage ? { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, total_tokens: usage.totalTokens } : null,
      error: res.error
        ? { http_status: res.error.status ?? (x.status >= 400 ? x.status : null), type: res.error.kind, code: null, message: res.error.message, retryable: res.error.retryable, retry_after_ms: res.error.retryAfterMs ?? null }
        : null,
      terminated_by: terminatedBy(r, tail),
    },
    replay: {
      split_at_byte_offsets: offsets,
      arrival_ms: x.pieceMs.map((ms) => Math.round(ms * 10) / 10),
      headers_ms: Math.round(x.headersMs * 10) / 10,
      why: ['recorded by Ask LLM\u2019s flight recorder: each offset is where a network read ended, arrival_ms when it arrived (ms after the headers; one per piece, the last piece ends the body)'],
    },
    askllm: {
      recorded_at: new Date(r.at).toISOString(),
      profile: r.profile,
      model: r.model,
      question: r.question,
      truncated: x.truncated,
    },
    quirks: x.truncated ? ['the body was longer than the flight recorder keeps: only its start is here'] : [],
    sources: [`recorded with Ask LLM ("Save Last Stream…"); keys and tokens replaced by ${REDACTED}`],
    raw_bytes: x.body.byteLength,
  };
  return { rawName, raw: x.body, expectedName: `${base}.expected.json`, expected };
}

/** What a replay serves and asks: read back from a saved pair. */
export interface ReplayPlan {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Where each piece ends (the last is the body's length), and when it arrived (ms after the headers). */
  pieceEnds: number[];
  pieceMs: number[];
  headersMs: number;
  /** The profile fields to read it with, and the model. */
  profile: Pick<ProviderProfile, 'kind' | 'model'> & Partial<ProviderProfile>;
  question: string;
  /** The answer the recording produced (to compare a replay with). */
  expectedText?: string;
}

/**
 * A saved pair (any fixture of this format, recorded or not) as a replay plan. Without arrival
 * times the pieces come evenly over 20 ms each; without a profile, the kind is guessed from the
 * protocol. Throws with a plain message when the JSON is not a fixture's.
 */
export function replayPlan(expected: unknown, raw: Uint8Array): ReplayPlan {
  const e = expected as Partial<FixtureExpected> | null;
  if (!e || typeof e !== 'object' || !e.response || typeof e.response.status !== 'number') {
    throw new Error('This is not the .expected.json of a fixture: it has no "response" with a "status".');
  }
  const offsets = (Array.isArray(e.replay?.split_at_byte_offsets) ? e.replay.split_at_byte_offsets : []).filter((o): o is number => typeof o === 'number' && o > 0 && o < raw.length);
  const pieceEnds = [...offsets, raw.length];
  const given = Array.isArray(e.replay?.arrival_ms) ? e.replay.arrival_ms.filter((t): t is number => typeof t === 'number' && t >= 0) : [];
  const pieceMs = pieceEnds.map((_, i) => given[i] ?? (given.length ? given[given.length - 1] : i * 20));
  const kindByProtocol = Object.entries(PROTOCOLS).find(([, p]) => p === e.protocol)?.[0] as ProviderKind | undefined;
  const profile = e.askllm?.profile ?? { kind: kindByProtocol ?? 'openai', model: 'replay' };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.response.headers ?? {})) {
    if (!/^(content-encoding|transfer-encoding|content-length|connection|keep-alive)$/i.test(k) && typeof v === 'string') headers[k] = v;
  }
  const request = e.request as { messages?: Array<{ role?: string; content?: unknown }>; prompt?: unknown; input?: unknown } | undefined;
  const fromRequest = [...(request?.messages ?? [])].reverse().find((m) => m.role === 'user')?.content;
  return {
    status: e.response.status,
    headers,
    body: raw,
    pieceEnds,
    pieceMs,
    headersMs: typeof e.replay?.headers_ms === 'number' ? e.replay.headers_ms : 0,
    profile: { ...profile, model: e.askllm?.model ?? profile.model },
    question: e.askllm?.question ?? (typeof fromRequest === 'string' ? fromRequest : typeof request?.prompt === 'string' ? request.prompt : ''),
    ...(typeof e.expected?.text === 'string' ? { expectedText: e.expected.text } : {}),
  };
}
