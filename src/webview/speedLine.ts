// The quiet line under each answer: how fast it came and what it cost. DOM-free, so it runs in Node.
import type { UiStats, UiStatus } from '../shared/protocol';
import { waitSeconds, waitState, type WaitState } from '../shared/waiting';
import { l10n } from './l10n';

const STRINGS = {
  /** No response has begun yet (the request went out). */
  sending: l10n.t('Waiting for the provider to respond\u2026'),
  /** The provider accepted the request and has sent none of the answer. */
  waiting: l10n.t('Waiting for the provider\u2026'),
  /** Text had arrived, then nothing for a while. */
  stalled: (s: number) => l10n.t('waiting for the provider\u2026 no text for {0} s', s),
  seconds: (s: number) => `${s} s`,
  interrupted: l10n.t('interrupted'),
  rate: (n: string) => l10n.t('{0} tok/s', n),
  inOut: (input: number, out: string) => l10n.t('{0} in / {1} out tokens', input, out),
  tokens: (n: string) => l10n.t('{0} tokens', n),
  stoppedIn: (time: string) => l10n.t('stopped in {0}', time),
  stopped: l10n.t('stopped'),
  firstToken: (time: string) => l10n.t('first token {0}', time),
};

/** `23 ms`, `2.4 s`, `14 s`, `2 min 05 s`. */
export function formatMs(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function formatRate(tps: number): string {
  return STRINGS.rate(Math.round(tps * 10) < 100 ? tps.toFixed(1) : String(Math.round(tps)));
}

/** `~312 tokens` when counted from deltas; with the provider's input count, `1024 in / 312 out tokens`. */
function formatTokens(s: UiStats): string {
  const out = `${s.tokensEstimated ? '~' : ''}${Math.round(s.outputTokens)}`;
  const input = s.usage?.inputTokens;
  return input !== undefined ? STRINGS.inOut(input, out) : STRINGS.tokens(out);
}

/**
 * The wait an answer in flight is in, from its live figures and the time since the request
 * (`elapsedMs`): none yet while the answer flows. Figures with a first token but no `lastTokenMs`
 * (an older host) never read as a wait.
 */
export function answerWait(stats: UiStats | undefined, elapsedMs: number): WaitState | undefined {
  if (stats?.firstTokenMs === undefined) return waitState({ elapsedMs, accepted: stats?.provider !== undefined });
  return stats.lastTokenMs === undefined ? undefined : waitState({ elapsedMs, accepted: true, lastTokenMs: stats.lastTokenMs });
}

/**
 * The speed line of an answer. While it streams: the time so far (`elapsedMs`, which keeps counting
 * between deltas) and the live rate; before the first word, that we wait for the provider and for
 * how long, and after text, a silence of a few seconds the same way. When done: provider, model,
 * time to first token, rate and tokens. After Stop: how long the stop took and how much had
 * arrived; an answer the window's reload cut (`finishReason` `interrupted`) says so. Empty when
 * there is nothing to say (an answer from before speed lines existed).
 */
export function speedLine(stats: UiStats | undefined, status: UiStatus, elapsedMs?: number, finishReason?: string): string {
  if (status === 'streaming') {
    const elapsed = elapsedMs ?? stats?.durationMs ?? 0;
    const wait = answerWait(stats, elapsed);
    if (wait && wait.phase !== 'stalled') {
      const s = waitSeconds(wait.ms);
      const what = wait.phase === 'sending' ? STRINGS.sending : STRINGS.waiting;
      return s >= 1 ? `${what} ${STRINGS.seconds(s)}` : what;
    }
    const parts = [formatMs(elapsed)];
    if (stats?.tokensPerSecond !== undefined) parts.push(formatRate(stats.tokensPerSecond));
    if (wait) parts.push(STRINGS.stalled(waitSeconds(wait.ms)));
    return parts.join(' · ');
  }
  // A failure before any of the answer (no key, a wrong URL): the error box says it all; "~0 tokens" adds nothing.
  if (!stats || (status === 'error' && stats.outputTokens === 0 && !stats.usage)) return '';
  const parts: string[] = [];
  if (stats.provider) parts.push(stats.provider);
  if (stats.model) parts.push(stats.model);
  if (status === 'cancelled') {
    parts.push(finishReason === 'interrupted' ? STRINGS.interrupted : stats.stopMs !== undefined ? STRINGS.stoppedIn(formatMs(stats.stopMs)) : STRINGS.stopped, formatTokens(stats));
    return parts.join(' · ');
  }
  if (stats.firstTokenMs !== undefined) parts.push(STRINGS.firstToken(formatMs(stats.firstTokenMs)));
  if (stats.tokensPerSecond !== undefined) parts.push(formatRate(stats.tokensPerSecond));
  parts.push(formatTokens(stats));
  return parts.join(' · ');
}
