// The quiet line under each answer: how fast it came and what it cost. DOM-free, so it runs in Node.
import type { UiStats, UiStatus } from '../shared/protocol';

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
  return `${Math.round(tps * 10) < 100 ? tps.toFixed(1) : Math.round(tps)} tok/s`;
}

/** `~312 tokens` when counted from deltas; with the provider's input count, `1024 in / 312 out tokens`. */
function formatTokens(s: UiStats): string {
  const out = `${s.tokensEstimated ? '~' : ''}${Math.round(s.outputTokens)}`;
  const input = s.usage?.inputTokens;
  return input !== undefined ? `${input} in / ${out} out tokens` : `${out} tokens`;
}

/**
 * The speed line of an answer. While it streams: the time so far (`elapsedMs`, which keeps counting
 * between deltas) and the live rate. When done: provider, model, time to first token, rate and
 * tokens. After Stop: how long the stop took and how much had arrived. Empty when there is nothing
 * to say (an answer from before speed lines existed).
 */
export function speedLine(stats: UiStats | undefined, status: UiStatus, elapsedMs?: number): string {
  if (status === 'streaming') {
    const parts = [formatMs(elapsedMs ?? stats?.durationMs ?? 0)];
    if (stats?.tokensPerSecond !== undefined) parts.push(formatRate(stats.tokensPerSecond));
    return parts.join(' · ');
  }
  if (!stats) return '';
  const parts: string[] = [];
  if (stats.provider) parts.push(stats.provider);
  if (stats.model) parts.push(stats.model);
  if (status === 'cancelled') {
    parts.push(stats.stopMs !== undefined ? `stopped in ${formatMs(stats.stopMs)}` : 'stopped', formatTokens(stats));
    return parts.join(' · ');
  }
  if (stats.firstTokenMs !== undefined) parts.push(`first token ${formatMs(stats.firstTokenMs)}`);
  if (stats.tokensPerSecond !== undefined) parts.push(formatRate(stats.tokensPerSecond));
  parts.push(formatTokens(stats));
  return parts.join(' · ');
}
