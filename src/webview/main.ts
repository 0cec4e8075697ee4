// The chat view's UI. A view of the host's state: it asks for a snapshot when it loads, then
// applies deltas once per animation frame. Imports only shared/ and npm libraries.
import { assertNever, isHostMessage, type HostMessage, type UiError, type UiMessage, type UiProvider, type WebviewMessage } from '../shared/protocol';
import { Follow, type ScrollPos } from './follow';
import { promptKeyAction } from './keys';
import { StreamingMarkdown } from './markdown';
import { speedLine } from './speedLine';

declare function acquireVsCodeApi(): { postMessage(m: WebviewMessage): void };
const vscode = acquireVsCodeApi();
const send = (m: WebviewMessage) => vscode.postMessage(m);

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

function button(label: string, title: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', title, 'aria-label': title, ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

// ---- layout -------------------------------------------------------------------------------
const app = document.getElementById('app')!;
const providerBtn = button('', 'Select provider', () => send({ type: 'selectProvider' }), { id: 'provider', class: 'provider' });
const header = h('header', {}, providerBtn);
const banner = h('div', { id: 'demo-banner', class: 'banner', role: 'note', hidden: '' },
  h('strong', {}, 'Demo mode: '), 'answers are recorded replies from a local replay server, not a real model. ',
  button('Select a real provider…', 'Select provider', () => send({ type: 'selectProvider' }), { class: 'link' }));
const empty = h('div', { id: 'empty', class: 'empty' });
const list = h('div', { id: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' });
const scroller = h('main', { id: 'scroller' }, empty, list);
const prompt = h('textarea', { id: 'prompt', rows: '1', placeholder: 'Ask anything… (Enter to send)', title: 'Enter sends, Shift+Enter adds a new line', 'aria-label': 'Message' });
const sendBtn = button('Send', 'Send (Enter)', () => submit(), { id: 'send', class: 'primary' });
const stopBtn = button('Stop', 'Stop the answer (Escape)', () => send({ type: 'stop' }), { id: 'stop', class: 'danger', hidden: '' });
const jumpBtn = button('\u2193 Jump to latest', 'Scroll to the newest text and follow it', () => jumpToLatest(), { id: 'jump', class: 'jump', hidden: '' });
const composer = h('footer', { class: 'composer' }, jumpBtn, prompt, h('div', { class: 'composer-buttons' }, stopBtn, sendBtn));
app.append(header, banner, scroller, composer);

// ---- state ----------------------------------------------------------------------------------
interface View {
  msg: UiMessage;
  el: HTMLElement;
  body: HTMLElement;
  md?: StreamingMarkdown;
  reasoning?: HTMLElement;
  /** The speed line (assistant messages). */
  speed?: HTMLElement;
  /** When `msg.stats` last arrived (performance.now()): the elapsed time keeps counting from it. */
  statsAt: number;
  pendingText: string;
  pendingReasoning: string;
}
const views = new Map<string, View>();
let provider: UiProvider | undefined;
let streaming = false;
let frameQueued = false;
const follow = new Follow();

function setStreaming(on: boolean) {
  streaming = on;
  stopBtn.hidden = !on;
}

function renderProvider() {
  providerBtn.textContent = provider ? `${provider.label} · ${provider.model}` : 'No provider — click to add one';
  banner.hidden = !provider?.isDemo;
  renderEmpty();
}

function renderEmpty() {
  empty.hidden = views.size > 0;
  empty.replaceChildren(provider
    ? h('p', {}, `Ask ${provider.label} anything. Answers stream in as they are written; Stop keeps what has arrived.`)
    : h('div', {}, h('p', {}, 'No provider is configured yet.'), button('Add a provider…', 'Select provider', () => send({ type: 'selectProvider' }), { class: 'primary' })));
}

function errorBox(error: UiError): HTMLElement {
  const actions = h('div', { class: 'actions' }, button('Retry', 'Ask again', () => send({ type: 'retry' })));
  if (error.kind === 'auth') actions.append(button('Set API key…', 'Set API key', () => send({ type: 'setApiKey', profileId: error.profileId })));
  actions.append(button('Select provider…', 'Select provider', () => send({ type: 'selectProvider' })));
  return h('div', { class: 'error', role: 'alert' },
    h('div', { class: 'error-message' }, error.message),
    ...(error.hint ? [h('div', { class: 'error-hint' }, error.hint)] : []),
    actions);
}

function addCodeButtons(block: HTMLElement) {
  for (const pre of block.querySelectorAll('pre')) {
    const code = pre.textContent ?? '';
    pre.prepend(h('div', { class: 'code-actions' },
      button('Copy', 'Copy code', () => send({ type: 'copy', text: code })),
      button('Insert', 'Insert code at the cursor', () => send({ type: 'insertAtCursor', text: code }))));
  }
}

function finishView(v: View) {
  v.el.dataset.status = v.msg.status;
  v.el.removeAttribute('aria-busy');
  if (v.msg.role !== 'assistant') return;
  v.md?.finish();
  v.el.querySelector('.error')?.remove();
  v.el.querySelector('.message-actions')?.remove();
  renderSpeed(v);
  // The speed line says "stopped in …"; an answer cut by a closed window has no stats and says it here.
  if (v.msg.status === 'cancelled' && !v.msg.stats) v.body.append(h('div', { class: 'note' }, 'Stopped.'));
  if (v.msg.finishReason === 'length') v.body.append(h('div', { class: 'note' }, 'Cut off at the token limit.'));
  if (v.msg.finishReason === 'contentFilter') v.body.append(h('div', { class: 'note' }, 'Stopped by the provider\u2019s content filter.'));
  if (v.msg.error) v.el.append(errorBox(v.msg.error));
  if (v.msg.text) {
    v.el.append(h('div', { class: 'message-actions' },
      button('Copy', 'Copy the answer', () => send({ type: 'copy', text: v.msg.text })),
      button('Insert', 'Insert the answer at the cursor', () => send({ type: 'insertAtCursor', text: v.msg.text }))));
  }
}

function addMessage(msg: UiMessage): View {
  const body = h('div', { class: 'content' });
  const el = h('article', { class: `message ${msg.role}`, 'data-status': msg.status, 'data-id': msg.id },
    h('div', { class: 'who' }, msg.role === 'user' ? 'You' : msg.model ?? 'Assistant'), body);
  const v: View = { msg: { ...msg }, el, body, statsAt: performance.now(), pendingText: '', pendingReasoning: '' };
  if (msg.role === 'user') {
    body.textContent = msg.text;
  } else {
    if (msg.reasoning) ensureReasoning(v).textContent = msg.reasoning;
    v.md = new StreamingMarkdown(body, addCodeButtons);
    if (msg.text) v.md.update(msg.text);
    v.speed = h('div', { class: 'speed' });
    el.append(v.speed);
    if (msg.status === 'streaming') {
      el.setAttribute('aria-busy', 'true');
      renderSpeed(v);
      ticking.add(v);
      ticker ??= setInterval(tick, 250);
    } else {
      finishView(v);
    }
  }
  views.set(msg.id, v);
  list.append(el);
  renderEmpty();
  return v;
}

function ensureReasoning(v: View): HTMLElement {
  if (!v.reasoning) {
    v.reasoning = h('div', { class: 'reasoning-text' });
    v.el.insertBefore(h('details', { class: 'reasoning' }, h('summary', {}, 'Reasoning'), v.reasoning), v.body);
  }
  return v.reasoning;
}

/** Applies everything that arrived since the last frame, once. */
function frame() {
  frameQueued = false;
  for (const v of views.values()) {
    if (v.pendingReasoning) {
      v.msg.reasoning = (v.msg.reasoning ?? '') + v.pendingReasoning;
      ensureReasoning(v).textContent = v.msg.reasoning;
      v.pendingReasoning = '';
    }
    if (v.pendingText) {
      v.msg.text += v.pendingText;
      v.md?.update(v.msg.text);
      v.pendingText = '';
    }
  }
  if (follow.following) scrollSoon();
}

const ticking = new Set<View>();
let ticker: ReturnType<typeof setInterval> | undefined;

/** The speed line, from the latest stats; while streaming the elapsed time counts on between deltas. */
function renderSpeed(v: View) {
  if (!v.speed) return;
  const live = v.msg.status === 'streaming';
  const text = speedLine(v.msg.stats, v.msg.status, live ? (v.msg.stats?.durationMs ?? 0) + performance.now() - v.statsAt : undefined);
  if (v.speed.textContent !== text) v.speed.textContent = text;
  v.speed.hidden = !text;
  // Screen readers hear the finished line once, not a clock ticking inside the live region.
  if (live) v.speed.setAttribute('aria-hidden', 'true');
  else v.speed.removeAttribute('aria-hidden');
}

/** A few times a second (not every frame): the streaming speed lines. */
function tick() {
  for (const v of ticking) {
    if (v.msg.status === 'streaming' && views.get(v.msg.id) === v) renderSpeed(v);
    else ticking.delete(v);
  }
  if (follow.following && ticking.size) scrollSoon(); // the line may have wrapped onto one more row
  if (!ticking.size && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

let scrollQueued = false;
/**
 * Sticks to the bottom in the next animation frame: reading scrollHeight right after a render
 * would force a synchronous layout of the whole conversation inside the message task.
 */
function scrollSoon() {
  if (scrollQueued) return;
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    if (follow.following) toBottom();
  });
}

function toBottom() {
  scroller.scrollTop = scroller.scrollHeight;
  follow.placed(scroller.scrollTop); // where it landed (clamped): its scroll event is ours, not the user's
}

function jumpToLatest() {
  follow.resume();
  jumpBtn.hidden = true;
  toBottom();
}

const scrollPos = (): ScrollPos => ({ top: scroller.scrollTop, height: scroller.scrollHeight, client: scroller.clientHeight });

let lastFrameAt = 0;
/**
 * The host already sends at most about one delta per frame, so a delta is rendered as soon as it
 * arrives (waiting for the next animation frame would only add latency). If messages bunch up
 * (the view was busy), the extra ones are coalesced into the next animation frame.
 */
function queueFrame() {
  if (frameQueued) return;
  if (performance.now() - lastFrameAt >= 12) {
    lastFrameAt = performance.now();
    frame();
    return;
  }
  frameQueued = true;
  requestAnimationFrame(() => {
    lastFrameAt = performance.now();
    frame();
  });
}

function handle(m: HostMessage) {
  switch (m.type) {
    case 'snapshot':
      views.clear();
      list.replaceChildren();
      provider = m.provider;
      for (const msg of m.messages) addMessage(msg);
      setStreaming(m.streaming);
      renderProvider();
      follow.resume();
      jumpBtn.hidden = true;
      queueFrame();
      return;
    case 'messageAdded':
      addMessage(m.message);
      if (m.message.status === 'streaming') setStreaming(true);
      follow.resume();
      jumpBtn.hidden = true;
      queueFrame();
      return;
    case 'delta': {
      const v = views.get(m.id);
      if (!v) return;
      v.pendingText += m.text ?? '';
      v.pendingReasoning += m.reasoning ?? '';
      if (m.stats) {
        v.msg.stats = m.stats; // shown by the ticker, not every frame
        v.statsAt = performance.now();
      }
      queueFrame();
      return;
    }
    case 'messageDone': {
      const v = views.get(m.id);
      if (!v) return;
      frame(); // the last deltas first, then the final state
      v.msg.status = m.status;
      v.msg.finishReason = m.finishReason;
      v.msg.error = m.error;
      if (m.stats) v.msg.stats = m.stats;
      finishView(v);
      setStreaming(false);
      queueFrame();
      return;
    }
    case 'provider':
      provider = m.provider;
      renderProvider();
      return;
    case 'focusInput':
      prompt.focus();
      return;
    default:
      assertNever(m);
  }
}

// ---- input ----------------------------------------------------------------------------------
function autosize() {
  prompt.style.height = 'auto';
  prompt.style.height = `${Math.min(prompt.scrollHeight, 200)}px`;
  if (follow.following) scrollSoon(); // a taller composer must not hide the newest text
}

function submit() {
  const text = prompt.value;
  if (!text.trim()) return;
  send({ type: 'send', text });
  prompt.value = '';
  autosize();
}

prompt.addEventListener('keydown', (e) => {
  const action = promptKeyAction(e, streaming);
  if (action === 'send') {
    e.preventDefault();
    submit();
  } else if (action === 'stop') {
    e.preventDefault();
    send({ type: 'stop' });
  }
});
prompt.addEventListener('input', autosize);
scroller.addEventListener('scroll', () => {
  jumpBtn.hidden = follow.scrolled(scrollPos(), performance.now());
}, { passive: true });
// The user's gestures: only a scroll up that follows one of them stops following (see Follow).
// An upward one stops it before its scroll lands.
const gesture = () => follow.input(performance.now());
const movedUp = () => {
  follow.userMovedUp(scrollPos(), performance.now());
  jumpBtn.hidden = follow.following;
};
const UP_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);
scroller.addEventListener('wheel', (e) => (e.deltaY < 0 ? movedUp() : gesture()), { passive: true });
scroller.addEventListener('touchstart', gesture, { passive: true });
scroller.addEventListener('touchmove', gesture, { passive: true });
// A press on the scrollbar (right of the content box) grabs it to go up; any other press may start a drag.
scroller.addEventListener('pointerdown', (e) => (e.target === scroller && e.offsetX >= scroller.clientWidth ? movedUp() : gesture()));
window.addEventListener('pointermove', (e) => { if (e.buttons) gesture(); }, { passive: true });
window.addEventListener('keydown', (e) => {
  if (e.target === prompt) return; // typing a question scrolls nothing
  if (UP_KEYS.has(e.key) || (e.key === ' ' && e.shiftKey)) movedUp();
  else gesture();
});

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostMessage(e.data)) handle(e.data);
});
renderProvider();
send({ type: 'ready' });
prompt.focus();
