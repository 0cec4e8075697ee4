// The fold every surface shares: an LlmEvent stream becomes an answer as it goes, and coalesced
// batches of it go to any number of sinks (a chat message, document ranges, a new document, the
// public API, VS Code's chat). A new surface is a new Sink, never a new copy of this loop.
import { l10n } from './l10n';
import type { FinishReason, LlmErrorInfo, LlmEvent, Usage } from './types';

/** What arrived since the last batch: at most about one batch per frame reaches a sink. */
export interface Batch {
  text: string;
  reasoning: string;
}

/** A finished tool call, as the provider assembled it. */
export interface ToolCall {
  id?: string;
  name: string;
  arguments: string;
}

/** How an answer ended, for every surface: the same type for the chat, the editor and the API. */
export interface Outcome {
  /** All the text received, also when the answer failed or was stopped (nothing is lost). */
  text: string;
  reasoning: string;
  /** `error` exactly when `error` is set. */
  finishReason: FinishReason | 'error';
  nativeFinishReason?: string;
  error?: LlmErrorInfo;
  usage?: Usage;
  toolCalls: ToolCall[];
  /** The profile and model from `start` (undefined when the request never started). */
  provider?: string;
  model?: string;
  timing: Timing;
}

export interface Timing {
  /** From the fold's start to the first text or reasoning, in ms. */
  firstTokenMs?: number;
  /** From the fold's start to its end (or to now, while streaming), in ms. */
  durationMs: number;
  /** Output tokens: the provider's count when it reported one, else the deltas received. */
  outputTokens: number;
  /** True when `outputTokens` counts deltas (most providers send about one token per delta). */
  tokensEstimated: boolean;
  /** Output tokens per second from the first token on; undefined before two deltas. */
  tokensPerSecond?: number;
  /**
   * How long the model reasoned: from the first reasoning to the first text after it (or to the
   * end, or to now while it still reasons), in ms. Undefined for an answer with no reasoning.
   */
  reasoningMs?: number;
  /** From the fold's start to the latest text or reasoning, in ms (a silence since then is a wait the surfaces show). */
  lastTokenMs?: number;
}

/**
 * A surface that shows an answer. `write` gets coalesced batches in order; `finish` comes once,
 * after the last `write`, and the fold waits for it (a document sink finishes its edits there).
 * A sink that throws is logged by its owner, never allowed to stop the other sinks.
 */
export interface Sink {
  start?(info: { provider: string; model: string }): void;
  write(batch: Batch, answer: Answer): void;
  finish(outcome: Outcome): void | Promise<void>;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/** The answer so far: a pure reducer over events (no timers, no I/O). */
export class Answer {
  text = '';
  /** Characters of text received (kept also when the text itself is not). */
  chars = 0;
  reasoning = '';
  usage: Usage | undefined;
  toolCalls: ToolCall[] = [];
  provider: string | undefined;
  model: string | undefined;
  terminal: Extract<LlmEvent, { type: 'end' | 'error' }> | undefined;
  private deltas = 0;
  private firstTokenAt: number | undefined;
  private lastTokenAt: number | undefined;
  private endedAt: number | undefined;
  private reasoningAt: number | undefined;
  private reasonedUntil: number | undefined;

  /** `keepText: false` counts the text without keeping it (a log line needs no second copy of the answer). */
  constructor(private readonly now: () => number = Date.now, readonly startedAt = now(), private readonly keepText = true) {}

  /** Applies one event; returns the delta it carries for sinks, if any. */
  apply(ev: LlmEvent): { kind: 'text' | 'reasoning'; text: string } | undefined {
    if (this.terminal) return undefined; // a second terminal event would be a bug upstream: ignore
    switch (ev.type) {
      case 'start':
        this.provider = ev.provider;
        this.model = ev.model;
        return undefined;
      case 'text':
      case 'reasoning': {
        if (!ev.text) return undefined;
        const t = this.now();
        this.firstTokenAt ??= t;
        this.lastTokenAt = t;
        this.deltas++;
        if (ev.type === 'text') {
          if (this.reasoningAt !== undefined) this.reasonedUntil ??= t;
          this.chars += ev.text.length;
          if (this.keepText) this.text += ev.text;
        } else {
          this.reasoningAt ??= t;
          if (this.keepText) this.reasoning += ev.text;
        }
        return { kind: ev.type, text: ev.text };
      }
      case 'toolCall':
        this.toolCalls.push({ ...(ev.id ? { id: ev.id } : {}), name: ev.name, arguments: ev.arguments });
        return undefined;
      case 'usage':
        this.usage = { inputTokens: ev.inputTokens, outputTokens: ev.outputTokens, totalTokens: ev.totalTokens };
        return undefined;
      case 'end':
      case 'error':
        this.terminal = ev;
        this.endedAt = this.now();
        return undefined;
      default:
        return assertNever(ev);
    }
  }

  timing(): Timing {
    const end = this.endedAt ?? this.now();
    const reported = this.usage?.outputTokens;
    const outputTokens = reported ?? this.deltas;
    const span = this.firstTokenAt !== undefined && this.lastTokenAt !== undefined ? this.lastTokenAt - this.firstTokenAt : 0;
    // Rate over the span between the first and the last token: waiting time is TTFT's business.
    const tokensPerSecond = span > 0 && this.deltas > 1 ? ((outputTokens - (reported === undefined ? 1 : 0)) * 1000) / span : undefined;
    return {
      ...(this.firstTokenAt !== undefined ? { firstTokenMs: this.firstTokenAt - this.startedAt } : {}),
      durationMs: end - this.startedAt,
      outputTokens,
      tokensEstimated: reported === undefined,
      ...(tokensPerSecond !== undefined ? { tokensPerSecond } : {}),
      ...(this.reasoningAt !== undefined ? { reasoningMs: (this.reasonedUntil ?? end) - this.reasoningAt } : {}),
      ...(this.lastTokenAt !== undefined ? { lastTokenMs: this.lastTokenAt - this.startedAt } : {}),
    };
  }

  /** The outcome so far. A stream that ended with no terminal event is a protocol error, text kept. */
  outcome(): Outcome {
    const t = this.terminal ?? { type: 'error', error: { kind: 'protocol', message: l10n.t('The answer ended without a finish reason.'), retryable: true } };
    return {
      text: this.text,
      reasoning: this.reasoning,
      finishReason: t.type === 'error' ? 'error' : t.finishReason,
      ...(t.type === 'end' && t.nativeFinishReason ? { nativeFinishReason: t.nativeFinishReason } : {}),
      ...(t.type === 'error' ? { error: t.error } : {}),
      ...(this.usage ? { usage: this.usage } : {}),
      toolCalls: this.toolCalls,
      ...(this.provider !== undefined ? { provider: this.provider, model: this.model } : {}),
      timing: this.timing(),
    };
  }
}

export interface FoldOptions {
  /** Longest a delta waits before it is handed to the sinks (about a frame). */
  intervalMs?: number;
  now?: () => number;
  /** Called when a sink throws (the other sinks go on). */
  onSinkError?: (err: unknown) => void;
}

/**
 * Reads `events` to the end, handing coalesced batches to every sink (the first delta after a
 * quiet spell waits at most `intervalMs`; the last is flushed at once when the stream ends), then
 * finishes every sink with the one outcome and resolves with it. Never throws for a failed
 * answer: the outcome says how it ended.
 */
export async function foldAnswer(events: AsyncIterable<LlmEvent>, sinks: readonly Sink[], opts: FoldOptions = {}): Promise<Outcome> {
  const now = opts.now ?? Date.now;
  const interval = opts.intervalMs ?? 16;
  const answer = new Answer(now);
  const guard = (f: () => unknown) => {
    try {
      const r = f();
      if (r instanceof Promise) return r.catch((err) => opts.onSinkError?.(err));
    } catch (err) {
      opts.onSinkError?.(err);
    }
    return undefined;
  };
  let pending: Batch = { text: '', reasoning: '' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = -Infinity;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending.text && !pending.reasoning) return;
    const batch = pending;
    pending = { text: '', reasoning: '' };
    lastFlush = now();
    for (const s of sinks) guard(() => s.write(batch, answer));
  };
  try {
    for await (const ev of events) {
      const delta = answer.apply(ev);
      if (ev.type === 'start') for (const s of sinks) guard(() => s.start?.({ provider: ev.provider, model: ev.model }));
      if (!delta) continue;
      pending[delta.kind] += delta.text;
      if (!timer) timer = setTimeout(flush, Math.max(0, lastFlush + interval - now()));
    }
  } catch (err) {
    // Streams from our adapters never throw; a foreign iterable might. Keep the text, say why.
    answer.apply({ type: 'error', error: { kind: 'unknown', message: err instanceof Error ? err.message : String(err), retryable: false } });
  } finally {
    flush();
  }
  const outcome = answer.outcome();
  await Promise.all(sinks.map((s) => guard(() => s.finish(outcome))));
  return outcome;
}
