// Reading and typing in the chat: when the view follows new text, and which keys send.
import { strict as assert } from 'node:assert';
import { Follow } from '../../src/webview/follow';
import { promptKeyAction, type PromptKey } from '../../src/webview/keys';

/**
 * A scroller as the browser keeps it: the position is clamped to the content, a change of position
 * queues one scroll event, and that event arrives later (a frame later) and reports the position
 * at the moment it is dispatched. `frame()` is the view's own scroll to the bottom (main.ts); every
 * step takes 16 ms.
 */
class Scroller {
  top = 0;
  height: number;
  readonly client = 500;
  now = 0;
  private queued = false;

  constructor(readonly follow = new Follow(40), height = 3000) {
    this.height = height;
  }

  private moveTo(top: number) {
    this.now += 16;
    const t = Math.max(0, Math.min(top, this.height - this.client));
    if (t !== this.top) this.queued = true;
    this.top = t;
  }

  get pos() {
    return { top: this.top, height: this.height, client: this.client };
  }

  get fromBottom() {
    return this.height - this.top - this.client;
  }

  /** The view's frame: if it follows, to the bottom, remembering where it landed. */
  frame() {
    if (!this.follow.following) return;
    this.moveTo(this.height);
    this.follow.placed(this.top);
  }

  grow(px: number) {
    this.now += 16;
    this.height += px;
  }

  shrink(px: number) {
    this.height = Math.max(this.client, this.height - px);
    this.moveTo(this.top); // the browser clamps, and that fires a scroll event too
  }

  /** The user scrolls by `dy` with a wheel, touch, keys or the scrollbar: a gesture, then the move. */
  user(dy: number) {
    this.follow.input(this.now);
    this.moveTo(this.top + dy);
  }

  /** A wheel turned up (or ↑, PageUp, a grab of the scrollbar), before its scroll lands. */
  wheelUp() {
    this.follow.userMovedUp(this.pos, this.now);
  }

  /** The queued scroll event, if any, reaches the view now. */
  deliver() {
    if (!this.queued) return;
    this.queued = false;
    this.now += 16;
    this.follow.scrolled(this.pos, this.now);
  }
}

describe('Follow (the chat follows new text; only the user stops it)', () => {
  it('keeps following when its own scroll event arrives after the page grew past the threshold', () => {
    const s = new Scroller();
    s.frame();
    s.deliver();
    assert.equal(s.fromBottom, 0);
    s.grow(120);
    s.frame(); // our scroll to the bottom; its event comes a frame later…
    s.grow(200); // …after more text than the 40 px threshold has arrived
    s.deliver();
    assert.ok(s.fromBottom > 40, 'the event saw the view far from the bottom');
    assert.ok(s.follow.following, 'and still took it for our scroll, not the user\u2019s');
    s.frame();
    assert.equal(s.fromBottom, 0, 'the next frame is at the bottom again');
  });

  it('never stops following by itself, whatever the growth and however late the events come', () => {
    const s = new Scroller();
    let seed = 11;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 16) % n;
    const steps = [0, 0, 0, 0];
    for (let i = 0; i < 5000; i++) {
      const step = rnd(4);
      steps[step]++;
      if (step === 0) s.grow(rnd(600));
      else if (step === 1) s.frame();
      else if (step === 2) s.deliver();
      else s.shrink(rnd(60)); // a re-rendered tail may come out shorter
      assert.ok(s.follow.following, `still following after step ${i}`);
    }
    assert.ok(steps.every((n) => n > 1000), `every kind of step ran: ${steps.join(', ')}`);
    s.frame();
    assert.equal(s.fromBottom, 0);
  });

  it('a scroll up by the user stops following at once, even by a few pixels, and the view then stays put', () => {
    const s = new Scroller();
    s.frame();
    s.deliver();
    s.user(-10);
    s.deliver();
    assert.ok(!s.follow.following, 'stopped by 10 px, well inside the threshold');
    const reading = s.top;
    for (let i = 0; i < 50; i++) {
      s.grow(300);
      s.frame();
      s.deliver();
    }
    assert.equal(s.top, reading, 'no jump while reading');
    assert.ok(!s.follow.following);
  });

  it('the user\u2019s scroll wins when it lands in the same frame as ours', () => {
    const s = new Scroller();
    s.frame();
    s.grow(300);
    s.frame(); // ours, event pending
    s.user(-150); // the user's, before the event is dispatched
    s.deliver();
    assert.ok(!s.follow.following);

    // A wheel turned up stops following before its scroll lands, so a scroll of ours in between cannot hide it.
    const t = new Scroller();
    t.frame();
    t.deliver();
    t.grow(300);
    t.wheelUp();
    t.frame();
    assert.ok(!t.follow.following);
    assert.equal(t.fromBottom, 300, 'our frame left the view where the user had it');
  });

  it('an upward gesture on a page too short to scroll keeps following', () => {
    const s = new Scroller(new Follow(40), 400);
    s.wheelUp();
    assert.ok(s.follow.following);
  });

  it('a page that shrinks pulls the view up to its bottom: that is not the user', () => {
    const s = new Scroller();
    s.frame();
    s.deliver();
    s.shrink(200);
    s.deliver();
    assert.ok(s.follow.following);
    // Shrunk, then grown again before the event comes: the view is above where we put it and far
    // from the bottom, exactly as after a scroll up. No gesture of the user's: still following.
    s.shrink(200);
    s.grow(300);
    s.deliver();
    assert.ok(s.follow.following);
    // Nor while the user is touching it (a wheel down at the bottom): pulled to the bottom is not up.
    s.frame();
    s.deliver();
    s.user(50);
    s.shrink(200);
    s.deliver();
    assert.ok(s.follow.following);
    // A gesture long ago does not make it the user's either.
    s.user(0);
    s.now += 5000;
    s.shrink(200);
    s.grow(300);
    s.deliver();
    assert.ok(s.follow.following);
  });

  it('scrolling back down to the bottom follows again; so does "jump to latest"', () => {
    const s = new Scroller();
    s.frame();
    s.deliver();
    s.user(-800);
    s.deliver();
    assert.ok(!s.follow.following);
    s.user(400);
    s.deliver();
    assert.ok(!s.follow.following, 'half way down is still reading');
    s.user(10_000);
    s.deliver();
    assert.ok(s.follow.following, 'back at the bottom');

    s.user(-800);
    s.deliver();
    assert.ok(!s.follow.following);
    s.follow.resume();
    s.grow(100);
    s.frame();
    s.deliver();
    assert.ok(s.follow.following);
    assert.equal(s.fromBottom, 0);
  });
});

describe('promptKeyAction (Enter sends, IME composition never does)', () => {
  const key = (k: Partial<PromptKey>): PromptKey => ({ key: 'Enter', shiftKey: false, isComposing: false, keyCode: 13, ...k });

  it('Enter sends, Shift+Enter is a newline, Escape stops only while streaming', () => {
    assert.equal(promptKeyAction(key({}), false), 'send');
    assert.equal(promptKeyAction(key({ shiftKey: true }), false), undefined);
    assert.equal(promptKeyAction(key({ key: 'Escape', keyCode: 27 }), true), 'stop');
    assert.equal(promptKeyAction(key({ key: 'Escape', keyCode: 27 }), false), undefined);
    assert.equal(promptKeyAction(key({ key: 'a', keyCode: 65 }), false), undefined);
  });

  it('the Enter that picks an IME candidate never sends (Chromium: isComposing; Safari: keyCode 229 after compositionend)', () => {
    assert.equal(promptKeyAction(key({ isComposing: true, keyCode: 229 }), false), undefined);
    assert.equal(promptKeyAction(key({ isComposing: true }), false), undefined);
    assert.equal(promptKeyAction(key({ keyCode: 229 }), false), undefined);
    assert.equal(promptKeyAction(key({ key: 'Process', keyCode: 229 }), false), undefined);
  });

  it('Escape that cancels a composition does not stop the answer', () => {
    assert.equal(promptKeyAction(key({ key: 'Escape', isComposing: true, keyCode: 229 }), true), undefined);
  });
});
