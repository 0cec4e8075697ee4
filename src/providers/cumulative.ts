// Some streams repeat the whole text so far in every event (DashScope with incremental_output
// false, some SSE services). This turns either kind of payload into deltas.

/**
 * `mode: 'cumulative'` always slices off what was seen; `'delta'` never does; `'auto'` decides at
 * the second non-empty payload: if it extends the first, the stream is cumulative.
 */
export class DeltaTracker {
  private seen = '';
  private payloads = 0;

  constructor(private mode: 'cumulative' | 'delta' | 'auto') {}

  next(payload: string | undefined | null): string {
    if (!payload) return '';
    this.payloads++;
    if (this.mode === 'auto' && this.payloads === 2) {
      this.mode = payload.length > this.seen.length && payload.startsWith(this.seen) ? 'cumulative' : 'delta';
    }
    if (this.mode !== 'cumulative') {
      this.seen += payload;
      return payload;
    }
    // A payload that rewrote earlier text cannot un-show it: continue from the length shown.
    const delta = payload.length > this.seen.length ? payload.slice(this.seen.length) : '';
    if (payload.length >= this.seen.length) this.seen = payload;
    return delta;
  }
}
