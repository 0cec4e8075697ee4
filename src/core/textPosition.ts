// Pure offset math for the document sink: where a range being written is once the document has
// changed under it. Offsets, not line/column, so CRLF documents need no special case.

export interface OffsetChange {
  /** Start of the replaced range, in the document before the change. */
  rangeOffset: number;
  rangeLength: number;
  /** Length of the inserted text as the document stores it (EOLs already normalized). */
  textLength: number;
}

/** A range of the document an answer is written into: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/**
 * A span after someone else's change. A change wholly before it shifts it; one at or after its end
 * leaves it (text typed exactly at the insertion point goes after the answer, so the answer stays
 * in one piece). A change that reaches inside it keeps what survives and says so (`inside`).
 */
export function shiftSpan(span: Span, change: OffsetChange): Span & { inside: boolean } {
  const cs = change.rangeOffset;
  const ce = cs + change.rangeLength;
  const delta = change.textLength - change.rangeLength;
  if (cs >= span.end) return { ...span, inside: false };
  if (ce <= span.start) return { start: span.start + delta, end: span.end + delta, inside: false };
  // It overlaps: what it replaced before the span's start is gone, what it inserted goes first.
  const start = cs <= span.start ? cs + change.textLength : span.start;
  const end = ce >= span.end ? Math.max(start, cs <= span.start ? start : cs) : span.end + delta;
  return { start, end, inside: span.end > span.start }; // an empty span has nothing to lose
}

/** Applies several changes of one document event (ranges relative to the document before it). */
export function shiftSpanAll(span: Span, changes: readonly OffsetChange[]): Span & { inside: boolean } {
  // From the last range to the first, so each range is still valid against the original.
  let inside = false;
  let cur: Span = span;
  for (const c of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
    const next = shiftSpan(cur, c);
    inside ||= next.inside;
    cur = { start: next.start, end: next.end };
  }
  return { ...cur, inside };
}
