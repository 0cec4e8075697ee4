// The progress notification of an answer going into a document, as a sink of the fold: how much
// has arrived, and while the provider says nothing (before its first word, or silent mid-answer)
// that we wait and for how long, in seconds, with the notification's Cancel as the Stop at hand.
// No `vscode` import (it runs under the unit tests): its words go through core's translator,
// which the extension installs from vscode.l10n.t at activation.
import type { Sink } from '../core/answer';
import { l10n } from '../core/l10n';
import { waitSeconds, waitState } from '../shared/waiting';

/** What a progress notification takes (vscode.Progress). */
export interface ProgressReporter {
  report(value: { message?: string }): void;
}

export interface ProgressSinkOptions {
  /** How many answers share this notification (Rewrite Selection: one per selection); it stops ticking after that many finish. */
  streams?: number;
  now?: () => number;
  /** How often the waiting seconds are brought up to date. */
  tickMs?: number;
}

/**
 * The notification's line for the answers so far. `sinceMs`: since the request(s) went out;
 * `accepted`: a response has begun; `lastTokenMs`: the latest text or reasoning (undefined before
 * any); `chars`: characters of answer text; `reasoningMs`: reasoning with no text yet, for that long.
 */
export function progressMessage(s: { sinceMs: number; accepted: boolean; lastTokenMs?: number; chars: number; reasoningMs?: number }): string {
  const wait = waitState({ elapsedMs: s.sinceMs, accepted: s.accepted, lastTokenMs: s.lastTokenMs });
  if (wait?.phase === 'sending' || wait?.phase === 'waiting') {
    const secs = waitSeconds(wait.ms);
    if (wait.phase === 'sending') {
      return secs >= 1 ? l10n.t('Waiting for the provider to respond… {0} s (Cancel stops it)', secs) : l10n.t('Waiting for the provider to respond… (Cancel stops it)');
    }
    return secs >= 1 ? l10n.t('Waiting for the provider… {0} s (Cancel stops it)', secs) : l10n.t('Waiting for the provider… (Cancel stops it)');
  }
  if (wait?.phase === 'stalled') return l10n.t('{0} characters · waiting for the provider… no text for {1} s (Cancel stops it)', s.chars, waitSeconds(wait.ms));
  if (s.chars === 0 && s.reasoningMs !== undefined) return l10n.t('The model is reasoning… {0} s', waitSeconds(s.reasoningMs));
  return l10n.t('{0} characters', s.chars);
}

/**
 * The notification as a sink (of one answer or several sharing it): its line at once, then brought
 * up to date about four times a second (only when it changes) until every answer has finished.
 */
export function progressSink(progress: ProgressReporter, opts: ProgressSinkOptions = {}): Sink {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  let accepted = false;
  let lastTokenAt: number | undefined;
  let reasoningAt: number | undefined;
  let chars = 0;
  let finished = 0;
  let shown = '';
  const render = () => {
    const t = now();
    const message = progressMessage({
      sinceMs: t - startedAt, accepted, chars,
      ...(lastTokenAt !== undefined ? { lastTokenMs: lastTokenAt - startedAt } : {}),
      ...(reasoningAt !== undefined ? { reasoningMs: t - reasoningAt } : {}),
    });
    if (message === shown) return;
    shown = message;
    progress.report({ message });
  };
  const timer = setInterval(render, opts.tickMs ?? 250);
  render();
  return {
    start: () => {
      accepted = true;
    },
    write: (batch) => {
      if (!batch.text && !batch.reasoning) return;
      const first = lastTokenAt === undefined;
      lastTokenAt = now();
      if (batch.reasoning) reasoningAt ??= lastTokenAt;
      chars += batch.text.length;
      if (first) render();
    },
    finish: () => {
      if (++finished < (opts.streams ?? 1)) return;
      clearInterval(timer);
      progress.report({ message: l10n.t('finishing…') });
    },
  };
}
