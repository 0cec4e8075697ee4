// The incremental half of the chat's Markdown, DOM-free (so it runs in Node): which finished
// blocks a growing answer has, their HTML, and the growing tail's. A block is rendered once, and
// again only when a link definition later in the answer resolves one of its references.
import { scanBlocks } from './blocks';
import { markdownToHtml, referenceCandidates, type References } from './render';

/** What changed in one update. */
export interface MarkdownChanges {
  /** New finished blocks, in order: their HTML. */
  added: string[];
  /** Earlier blocks rendered again (a definition arrived for them): their index and new HTML. */
  changed: Array<{ index: number; html: string }>;
  /** The tail's new HTML ('' when there is no tail), or undefined when it did not change. */
  tail: string | undefined;
}

/**
 * A copy of `s` that holds on to nothing else. V8 keeps a slice of a string as a view into the
 * whole string it came from, and the answer so far is a new whole string at every update: each
 * block sliced from it kept its own copy of the whole answer up to then, about 100 MB of heap
 * after a 50,000-token answer (bench/run.mjs, ASKLLM_BENCH_ONLY=heap). Slicing a concatenation
 * makes V8 copy the characters into a string of this one's length.
 */
export const detach = (s: string): string => ` ${s}`.slice(1);

/** A tail HTML no render produces: the DOM holds text appended in place (see appendUnrendered). */
const UNKNOWN = '\u0000';

interface Block {
  source: string;
  html: string;
  /** Labels the block may refer to that had no definition when it was rendered. */
  unresolved: Set<string>;
}

export class IncrementalMarkdown {
  private text = '';
  private stable = 0;
  private tailHtml = '';
  private readonly blocks: Block[] = [];
  /** The finished blocks' link definitions: they apply to the whole answer, before them too. */
  private readonly references: References = {};

  /** `toHtml` renders Markdown with the definitions known so far (and adds its own to them). */
  constructor(private readonly toHtml: (text: string, references: References) => string = markdownToHtml) {}

  /** The answer so far is `text` (the previous one plus more); `final` makes the tail a finished block too. */
  update(text: string, final = false): MarkdownChanges {
    this.text = text;
    const changes: MarkdownChanges = { added: [], changed: [], tail: undefined };
    const cut = final ? text.length : scanBlocks(text, this.stable).stable;
    if (cut > this.stable) {
      const known = Object.keys(this.references).length;
      const block: Block = { source: detach(text.slice(this.stable, cut)), html: '', unresolved: new Set() };
      this.render(block);
      this.blocks.push(block);
      this.stable = cut;
      changes.added.push(block.html);
      if (Object.keys(this.references).length > known) this.resolve(block, changes);
    }
    // The tail sees the definitions so far and its own, without keeping them: it may still change.
    const tailHtml = this.stable < text.length ? this.toHtml(text.slice(this.stable), { ...this.references }) : '';
    if (tailHtml !== this.tailHtml) {
      this.tailHtml = tailHtml;
      changes.tail = tailHtml;
    }
    return changes;
  }

  /**
   * `delta` joins the answer without a render (StreamingMarkdown put it in the DOM itself): the
   * tail's HTML is then unknown, and the next update renders the tail again whatever it holds.
   * Only for a delta that cannot end a block (no line break, or inside a fence that stays open).
   */
  appendUnrendered(delta: string): void {
    this.text += delta;
    this.tailHtml = UNKNOWN;
  }

  /** Where the unfinished tail begins in the answer. */
  get tailStart(): number {
    return this.stable;
  }

  get value(): string {
    return this.text;
  }

  /** Every finished block's HTML, then the tail's. */
  get html(): string[] {
    return [...this.blocks.map((b) => b.html), this.tailHtml];
  }

  private render(block: Block): void {
    block.html = this.toHtml(block.source, this.references);
    block.unresolved.clear();
    for (const label of referenceCandidates(block.source)) {
      if (!Object.hasOwn(this.references, label)) block.unresolved.add(label);
    }
  }

  /** Renders again the earlier blocks that refer to a label `by` has just defined. */
  private resolve(by: Block, changes: MarkdownChanges): void {
    this.blocks.forEach((block, index) => {
      if (block === by || !block.unresolved.size) return;
      if (![...block.unresolved].some((label) => Object.hasOwn(this.references, label))) return;
      this.render(block);
      changes.changed.push({ index, html: block.html });
    });
  }
}
