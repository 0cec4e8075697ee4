// Pure offset math for the editor sink: where the next piece of an answer goes once the document
// has changed under it. Offsets, not line/column, so CRLF documents need no special case.

export interface OffsetChange {
  /** Start of the replaced range, in the document before the change. */
  rangeOffset: number;
  rangeLength: number;
  /** Length of the inserted text as the document stores it (EOLs already normalized). */
  textLength: number;
}

/**
 * The insertion point after someone else's change. A change wholly before it shifts it; one wholly
 * after it leaves it. Text typed exactly at the insertion point goes after it, so the answer stays
 * in one piece and the user's text follows it. A change that swallows the point puts it at the end
 * of the replacement.
 */
export function shiftOffset(offset: number, change: OffsetChange): number {
  const start = change.rangeOffset;
  const end = change.rangeOffset + change.rangeLength;
  if (end < offset || (end === offset && change.rangeLength > 0)) return offset + change.textLength - change.rangeLength;
  if (start > offset) return offset;
  if (start === offset && change.rangeLength === 0) return offset;
  return start + change.textLength;
}

/** Applies several changes of one document event (ranges relative to the document before it). */
export function shiftOffsetAll(offset: number, changes: readonly OffsetChange[]): number {
  // Apply from the last range to the first, so each range is still valid against the original.
  return [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset).reduce(shiftOffset, offset);
}
