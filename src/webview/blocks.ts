// Where a growing Markdown answer can be cut into finished blocks. DOM-free, so it runs in Node.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export interface BlockScan {
  /** Offset just past the last finished block: text before it will never render differently. */
  stable: number;
}

/**
 * Finds the end of the last finished top-level block of `text`. A block is finished once a blank
 * line outside any fenced code block is followed by the start of a line at column 0: the next
 * block has begun, so nothing more can join the previous one. (An indented line after a blank
 * one may continue a list item, so it never starts a new block here.)
 * `from` must be a previous result for the same growing text: scanning resumes there.
 */
export function scanBlocks(text: string, from = 0): BlockScan {
  let stable = from;
  let fence: { char: string; len: number } | undefined;
  let pos = from;
  let blankBefore = false;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) {
      // The last line is still growing: it can only decide a cut at its very start.
      if (!fence && blankBefore && pos > stable && text.length > pos && !/^[ \t]/.test(text[pos])) stable = pos;
      break;
    }
    const line = text.slice(pos, nl);
    if (fence) {
      const close = FENCE.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.len && line.trim() === close[1]) fence = undefined;
      blankBefore = false;
    } else if (line.trim() === '') {
      blankBefore = true;
    } else {
      if (blankBefore && !/^[ \t]/.test(line) && pos > stable) stable = pos;
      blankBefore = false;
      const open = FENCE.exec(line);
      if (open) fence = { char: open[1][0], len: open[1].length };
    }
    pos = nl + 1;
  }
  return { stable };
}
