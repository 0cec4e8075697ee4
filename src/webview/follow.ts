// Whether the chat keeps following new text. DOM-free: the webview feeds it the scroller's numbers
// and the user's gestures, a unit test feeds it made-up ones.

/** The scroller at one moment: `scrollTop`, `scrollHeight`, `clientHeight`. */
export interface ScrollPos {
  top: number;
  height: number;
  client: number;
}

/** Sub-pixel slack: scroll positions may be fractional and read back rounded. */
const EPS = 1;

/**
 * Follows new text while the user is at the bottom; only the user stops it.
 *
 * The view's own scroll to the bottom fires its scroll event a frame later, when more text may
 * already have grown the page: the view then looks far from the bottom, but it is not above where
 * we put it, so it still follows. A page that shrinks (a re-rendered tail, a composer that gets
 * smaller) pulls the view up by itself, and text may grow the page again before that event arrives:
 * it looks just like a scroll up, so a scroll up stops following only when the user has just
 * touched the view (wheel, touch, keys, scrollbar: `input`). Then it stops at once, however small.
 * A scroll that comes back down to the bottom follows again.
 */
export class Follow {
  private on = true;
  /** Where the view was last seen or put. */
  private last = 0;
  private lastInput = -Infinity;

  /**
   * `nearBottom`: how close to the bottom a downward scroll must come to follow again, in px.
   * `gestureMs`: how long after the user's last gesture a scroll may still be theirs (a wheel or a
   * key scrolls smoothly over a few frames).
   */
  constructor(private readonly nearBottom = 40, private readonly gestureMs = 1000) {}

  get following(): boolean {
    return this.on;
  }

  /** We scrolled the view ourselves; `top` is the `scrollTop` read back after setting it. */
  placed(top: number): void {
    this.last = top;
  }

  /** The user did something that may scroll the view (wheel, touch, a key, a pointer on it). */
  input(now: number): void {
    this.lastInput = now;
  }

  /** A scroll event at time `now`; returns whether the view follows now. */
  scrolled(p: ScrollPos, now: number): boolean {
    const fromBottom = p.height - p.top - p.client;
    if (this.on) {
      if (p.top < this.last - EPS && fromBottom > EPS && now - this.lastInput <= this.gestureMs) this.on = false;
    } else if (p.top > this.last && fromBottom <= this.nearBottom) {
      this.on = true;
    }
    this.last = p.top;
    return this.on;
  }

  /**
   * The user asked to go up (wheel up, PageUp, ↑, Home, a grab of the scrollbar): stop now, before
   * the scroll lands, so that a scroll to the bottom of ours in the same frame cannot undo it.
   * Nothing to stop on a page that cannot scroll.
   */
  userMovedUp(p: ScrollPos, now: number): void {
    this.input(now);
    if (p.height - p.client > EPS) this.on = false;
  }

  /** Follow again: "jump to latest", a new question, a fresh snapshot. */
  resume(): void {
    this.on = true;
  }
}
