// A code block wider than the view fades out at the edge it continues past, so it shows that it
// scrolls even where scrollbars are overlays. Worked out when a block is finished, when the user
// scrolls it sideways and when the view's width changes, never on a frame of its own: a
// scroll-driven CSS animation on every block did the same, and the renderer then served every
// block of the conversation on every frame (bench/results/long-2026-12-02.md).

const waiting = new Set<HTMLElement>();
let queued = false;

/** Each code element's overflow is read first, then written, so one layout serves them all. */
function apply(codes: Iterable<HTMLElement>): void {
  const read = [...codes].filter((c) => c.isConnected).map((c) => ({ c, max: c.scrollWidth - c.clientWidth, left: c.scrollLeft }));
  // Classes (chat.css draws the fades), not inline styles: what an answer holds is only what the renderer makes.
  for (const { c, max, left } of read) {
    c.classList.toggle('fade-start', max > 1 && left > 1);
    c.classList.toggle('fade-end', max > 1 && left < max - 1);
  }
}

/** A finished block's code element, measured in the next animation frame (with whatever else came). */
export function watchCode(code: HTMLElement): void {
  waiting.add(code);
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    apply(waiting);
    waiting.clear();
  });
}

/** Keeps the fades right as blocks in `list` scroll sideways and as `scroller` changes width. */
export function followCodeEdges(list: HTMLElement, scroller: HTMLElement): void {
  list.addEventListener('scroll', (e) => {
    if (e.target instanceof HTMLElement && e.target.matches('pre > code')) apply([e.target]);
  }, { capture: true, passive: true });
  let width = 0;
  new ResizeObserver(() => {
    if (scroller.clientWidth === width) return;
    width = scroller.clientWidth;
    apply(list.querySelectorAll<HTMLElement>('.content pre > code'));
  }).observe(scroller);
}
