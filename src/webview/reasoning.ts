// The summary of an answer's reasoning section: how long the model thought. DOM-free, so it runs in Node.
import type { UiStats, UiStatus } from '../shared/protocol';
import { l10n } from './l10n';
import { formatMs } from './speedLine';

const STRINGS = {
  reasoning: l10n.t('Reasoning'),
  reasoningNow: l10n.t('Reasoning\u2026'),
  reasoningFor: (seconds: number) => l10n.t('Reasoning\u2026 {0} s', seconds),
  reasonedFor: (duration: string) => l10n.t('Reasoned for {0}', duration),
};

/** True while the model is still reasoning: the answer streams and no text has come yet. */
export function stillReasoning(status: UiStatus, hasText: boolean): boolean {
  return status === 'streaming' && !hasText;
}

/**
 * What the reasoning's summary says. While the model still reasons: the whole seconds so far,
 * `liveMs` (the stats' `reasoningMs` plus the time since they came, so it counts on between
 * deltas). Then how long it reasoned, "Reasoned for 4.2 s", from the stats kept with the message;
 * a message stored before durations were kept just says "Reasoning".
 */
export function reasoningSummary(stats: UiStats | undefined, status: UiStatus, hasText: boolean, liveMs = 0): string {
  if (stillReasoning(status, hasText)) {
    const seconds = Math.floor(Math.max(0, liveMs) / 1000);
    return seconds < 1 ? STRINGS.reasoningNow : STRINGS.reasoningFor(seconds);
  }
  return stats?.reasoningMs !== undefined ? STRINGS.reasonedFor(formatMs(stats.reasoningMs)) : STRINGS.reasoning;
}
