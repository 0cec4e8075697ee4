// Coalescing between a fast event stream and a slow surface: text and reasoning deltas are
// gathered and handed over at most once per interval (about a frame), and at once on `flush()`.

export interface Batch {
  text: string;
  reasoning: string;
}

/**
 * Gathers deltas and calls `deliver` at most once per `intervalMs`. The first delta after a quiet
 * period is delivered on the next timer tick, so a lone token is never held back longer than that.
 */
export class DeltaBatcher {
  private text = '';
  private reasoning = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastDelivery = 0;

  constructor(private readonly deliver: (batch: Batch) => void, private readonly intervalMs = 16) {}

  push(kind: 'text' | 'reasoning', delta: string): void {
    if (!delta) return;
    if (kind === 'text') this.text += delta;
    else this.reasoning += delta;
    if (this.timer) return;
    const wait = Math.max(0, this.lastDelivery + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Delivers whatever is pending now (call it when the stream ends). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.text && !this.reasoning) return;
    const batch = { text: this.text, reasoning: this.reasoning };
    this.text = '';
    this.reasoning = '';
    this.lastDelivery = Date.now();
    this.deliver(batch);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
