// The chat view's UI. A view of the host's state: it asks for a snapshot when it loads, then
// applies deltas once per animation frame. Imports only shared/ and npm libraries.
import { assertNever, isHostMessage, type HostMessage, type UiAttachment, type UiError, type UiMessage, type UiProvider, type WebviewMessage } from '../shared/protocol';
import { answerActions, errorActions, LAST_ONLY, lastIds, type AnswerAction, type ErrorAction } from './actions';
import { Announcer } from './announce';
import { attachmentDetails, Chips } from './chips';
import { followCodeEdges, watchCode } from './codeEdges';
import { button, h } from './dom';
import { Follow, type ScrollPos } from './follow';
import { HistoryPanel } from './historyPanel';
import { promptKeyAction } from './keys';
import { interceptLinks } from './links';
import { l10n } from './l10n';
import { fenceOf, StreamingMarkdown } from './markdown';
import { reasoningSummary, stillReasoning } from './reasoning';
import { speedLine } from './speedLine';

/** What the view keeps across being hidden and re-shown (VS Code's webview state): the question being written. */
interface DraftState {
  draft?: string;
  attachments?: UiAttachment[];
  atCursor?: boolean;
}
declare function acquireVsCodeApi(): { postMessage(m: WebviewMessage): void; getState(): unknown; setState(s: DraftState): void };
const vscode = acquireVsCodeApi();
const send = (m: WebviewMessage) => vscode.postMessage(m);

const STRINGS = {
  interrupted: l10n.t('Interrupted (the window was reloaded).'),
  history: l10n.t('History'),
  historyTitle: l10n.t('Show the list of chats'),
  newChat: l10n.t('+ New'),
  newChatTitle: l10n.t('Start a new chat (this one stays in the history)'),
  attachSelection: l10n.t('+ Selection'),
  attachSelectionTitle: l10n.t('Attach the editor\u2019s selection to the question'),
  attachFile: l10n.t('+ File'),
  attachFileTitle: l10n.t('Attach the whole active file to the question'),
  atCursor: l10n.t('Answer at cursor'),
  atCursorTitle: l10n.t('Also stream the answer into the active editor at the cursor (one undo step)'),
  editing: l10n.t('Editing your last question: Enter sends it again, Escape cancels.'),
  cancelEdit: l10n.t('Cancel'),
  cancelEditTitle: l10n.t('Stop editing (Escape)'),
  edit: l10n.t('Edit'),
  editTitle: l10n.t('Edit this question and send it again (\u2191 in an empty box)'),
  continue: l10n.t('Continue'),
  continueTitle: l10n.t('Carry on from where the answer stopped, in this message'),
  regenerate: l10n.t('Regenerate'),
  regenerateTitle: l10n.t('Answer the last question again'),
  retry: l10n.t('Retry'),
  retryTitle: l10n.t('Ask again'),
  setApiKey: l10n.t('Set API key\u2026'),
  setApiKeyTitle: l10n.t('Set API key'),
  selectProvider: l10n.t('Select provider\u2026'),
  selectProviderTitle: l10n.t('Select provider'),
  copy: l10n.t('Copy'),
  copyTitle: l10n.t('Copy the answer'),
  insert: l10n.t('Insert'),
  insertTitle: l10n.t('Insert the answer at the cursor'),
  open: l10n.t('Open in New File'),
  openTitle: l10n.t('Open the answer in a new untitled document'),
  conversation: l10n.t('Conversation'),
  providerTitle: l10n.t('Switch the provider and model that answer'),
  providerName: (current: string) => l10n.t('Provider: {0}. Switch provider', current),
};

// ---- layout -------------------------------------------------------------------------------
const app = document.getElementById('app')!;
const providerBtn = button('', STRINGS.providerTitle, () => send({ type: 'selectProvider' }), { id: 'provider', class: 'provider' });
const historyBtn = button(STRINGS.history, STRINGS.historyTitle, () => toggleHistory(), { id: 'history-toggle', 'aria-expanded': 'false', 'aria-controls': 'history' });
const newChatBtn = button(STRINGS.newChat, STRINGS.newChatTitle, () => {
  toggleHistory(false);
  send({ type: 'newChat' });
}, { id: 'new-chat' });
const header = h('header', {}, providerBtn, historyBtn, newChatBtn);
const history = new HistoryPanel(send, () => toggleHistory(false));
const banner = h('div', { id: 'demo-banner', class: 'banner', role: 'note', hidden: '' },
  h('strong', {}, l10n.t('Demo mode: ')), l10n.t('answers are recorded replies from a local replay server, not a real model. '),
  button(l10n.t('Select a real provider…'), l10n.t('Select provider'), () => send({ type: 'selectProvider' }), { class: 'link' }));
const empty = h('div', { id: 'empty', class: 'empty' });
// Not a live region: a screen reader would read every token. Finished answers are read once (Announcer).
const list = h('div', { id: 'messages' });
const announcer = new Announcer();
// Links in answers open through the host (http and https only), never by the webview itself.
interceptLinks(list, (href) => send({ type: 'openLink', href }));
const scroller = h('main', { id: 'scroller', 'aria-label': STRINGS.conversation }, empty, list);
followCodeEdges(list, scroller);
const prompt = h('textarea', { id: 'prompt', rows: '1', placeholder: l10n.t('Ask anything… (Enter to send)'), title: l10n.t('Enter sends, Shift+Enter adds a new line'), 'aria-label': l10n.t('Message') });
const sendBtn = button(l10n.t('Send'), l10n.t('Send (Enter)'), () => submit(), { id: 'send', class: 'primary' });
const stopBtn = button(l10n.t('Stop'), l10n.t('Stop the answer (Escape)'), () => send({ type: 'stop' }), { id: 'stop', class: 'danger', hidden: '' });
const jumpBtn = button(l10n.t('\u2193 Jump to latest'), l10n.t('Scroll to the newest text and follow it'), () => jumpToLatest(), { id: 'jump', class: 'jump', hidden: '' });
const chips = new Chips(() => saveDraft());
const editingNote = h('div', { id: 'editing', class: 'editing', role: 'status', hidden: '' }, STRINGS.editing, ' ',
  button(STRINGS.cancelEdit, STRINGS.cancelEditTitle, () => cancelEdit(), { class: 'link' }));
const atCursorBox = h('input', { type: 'checkbox', id: 'at-cursor' });
const tools = h('div', { class: 'composer-tools' },
  button(STRINGS.attachSelection, STRINGS.attachSelectionTitle, () => send({ type: 'attach', what: 'selection' }), { id: 'attach-selection' }),
  button(STRINGS.attachFile, STRINGS.attachFileTitle, () => send({ type: 'attach', what: 'file' }), { id: 'attach-file' }),
  h('label', { class: 'toggle', title: STRINGS.atCursorTitle }, atCursorBox, STRINGS.atCursor));
const composer = h('footer', { class: 'composer' }, jumpBtn, editingNote, chips.el, prompt, h('div', { class: 'composer-buttons' }, tools, stopBtn, sendBtn));
app.append(header, banner, history.el, scroller, composer, announcer.el);

// ---- state ----------------------------------------------------------------------------------
interface View {
  msg: UiMessage;
  el: HTMLElement;
  body: HTMLElement;
  md?: StreamingMarkdown;
  reasoning?: HTMLElement;
  /** The reasoning's summary: "Reasoning… 3 s" while the model reasons, then "Reasoned for 4.2 s". */
  reasoningSummary?: HTMLElement;
  /** The speed line (assistant messages). */
  speed?: HTMLElement;
  /** When `msg.stats` last arrived (performance.now()): the elapsed time keeps counting from it. */
  statsAt: number;
  pendingText: string;
  pendingReasoning: string;
  /** An older answer of a long conversation, shown as plain text until it comes near the viewport. */
  deferred?: boolean;
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
  const current = provider ? `${provider.label} · ${provider.model}` : l10n.t('No provider — click to add one');
  providerBtn.replaceChildren(h('span', { class: 'provider-name' }, current), h('span', { class: 'provider-switch', 'aria-hidden': 'true' }, '\u25be'));
  providerBtn.setAttribute('aria-label', STRINGS.providerName(current));
  banner.hidden = !provider?.isDemo;
  renderEmpty();
}

function renderEmpty() {
  empty.hidden = views.size > 0;
  empty.replaceChildren(provider
    ? h('p', {}, l10n.t('Ask {0} anything. Answers stream in as they are written; Stop keeps what has arrived.', provider.label))
    : h('div', {}, h('p', {}, l10n.t('No provider is configured yet.')), button(l10n.t('Add a provider…'), l10n.t('Select provider'), () => send({ type: 'selectProvider' }), { class: 'primary' })));
}

/** A button for an action under a message; those that act on the end of the conversation only are marked (see `markLast`). */
function actionButton(action: AnswerAction | ErrorAction, msg: UiMessage): HTMLButtonElement {
  const [label, title, run]: [string, string, () => void] = (() => {
    switch (action) {
      case 'continue': return [STRINGS.continue, STRINGS.continueTitle, () => send({ type: 'continue' })];
      case 'regenerate': return [STRINGS.regenerate, STRINGS.regenerateTitle, () => send({ type: 'retry' })];
      case 'retry': return [STRINGS.retry, STRINGS.retryTitle, () => send({ type: 'retry' })];
      case 'setApiKey': return [STRINGS.setApiKey, STRINGS.setApiKeyTitle, () => send({ type: 'setApiKey', profileId: msg.error?.profileId })];
      case 'selectProvider': return [STRINGS.selectProvider, STRINGS.selectProviderTitle, () => send({ type: 'selectProvider' })];
      case 'copy': return [STRINGS.copy, STRINGS.copyTitle, () => send({ type: 'copy', text: msg.text })];
      case 'insert': return [STRINGS.insert, STRINGS.insertTitle, () => send({ type: 'insertAtCursor', text: msg.text })];
      case 'open': return [STRINGS.open, STRINGS.openTitle, () => send({ type: 'openInNewFile', text: msg.text })];
      default: return assertNever(action);
    }
  })();
  return button(label, title, run, { 'data-action': action, ...(LAST_ONLY.has(action) ? { class: 'last-only' } : {}) });
}

function errorBox(msg: UiMessage & { error: UiError }): HTMLElement {
  const error = msg.error;
  const actions = h('div', { class: 'actions' }, ...errorActions(msg).map((a) => actionButton(a, msg)));
  // Not role="alert": the announcer reads the failed answer once, with its error.
  return h('div', { class: 'error' },
    h('div', { class: 'error-message' }, error.message),
    ...(error.hint ? [h('div', { class: 'error-hint' }, error.hint)] : []),
    actions);
}

function addCodeButtons(block: HTMLElement) {
  for (const pre of block.querySelectorAll('pre')) {
    const code = pre.textContent ?? '';
    const el = pre.querySelector('code');
    if (el) watchCode(el);
    const language = (el && fenceOf(el)) ?? ''; // a block with no fence opens as plain text
    pre.prepend(h('div', { class: 'code-actions' },
      button(l10n.t('Copy'), l10n.t('Copy code'), () => send({ type: 'copy', text: code })),
      button(l10n.t('Insert'), l10n.t('Insert code at the cursor'), () => send({ type: 'insertAtCursor', text: code })),
      button(l10n.t('Open'), l10n.t('Open the code in a new untitled document'), () => send({ type: 'openInNewFile', text: code, language }))));
  }
}

function finishView(v: View) {
  v.el.dataset.status = v.msg.status;
  v.el.removeAttribute('aria-busy');
  if (v.msg.role !== 'assistant') return;
  v.md?.finish();
  renderReasoning(v);
  v.el.querySelector('.error')?.remove();
  v.el.querySelector('.message-actions')?.remove();
  renderSpeed(v);
  // The speed line says "stopped in …"; an answer cut by a closed window has no stats and says it here.
  if (v.msg.finishReason === 'interrupted') v.body.append(h('div', { class: 'note', 'data-note': 'interrupted' }, STRINGS.interrupted));
  else if (v.msg.status === 'cancelled' && !v.msg.stats) v.body.append(h('div', { class: 'note' }, l10n.t('Stopped.')));
  if (v.msg.finishReason === 'length') v.body.append(h('div', { class: 'note' }, l10n.t('Cut off at the token limit.')));
  if (v.msg.finishReason === 'contentFilter') v.body.append(h('div', { class: 'note' }, l10n.t('Stopped by the provider\u2019s content filter.')));
  if (v.msg.error) v.el.append(errorBox({ ...v.msg, error: v.msg.error }));
  v.el.append(h('div', { class: 'message-actions' }, ...answerActions(v.msg).map((a) => actionButton(a, v.msg))));
}

/** Marks the last question and the final answer: only there do Edit, Continue, Regenerate and Retry show. */
function markLast() {
  const last = lastIds([...views.values()].map((v) => v.msg));
  for (const v of views.values()) {
    const on = v.msg.id === last.question || v.msg.id === last.answer;
    if (on !== v.el.hasAttribute('data-last')) v.el.toggleAttribute('data-last', on);
  }
}

// ---- long conversations ---------------------------------------------------------------------
/**
 * A conversation opened (a reload, a switch from the history) shows its last `EAGER` messages
 * rendered; older answers start as their plain text and are rendered as Markdown when they come
 * within a screen and a half of the viewport. Opening 200 pairs no longer renders 200 answers up front
 * (bench/run.mjs, ASKLLM_BENCH_ONLY=reload). The text is in the page from the start: screen
 * readers and copying see it.
 */
const EAGER = 20;
const deferredViews = new Map<Element, View>();
const lazy = new IntersectionObserver(renderNear, { root: scroller, rootMargin: '150% 0px' });

function defer(v: View) {
  v.deferred = true;
  v.body.classList.add('deferred');
  v.body.textContent = v.msg.text;
  deferredViews.set(v.body, v);
  lazy.observe(v.body);
}

function render(v: View) {
  if (!v.deferred) return;
  forget(v);
  v.deferred = false;
  v.body.classList.remove('deferred');
  const notes = v.body.querySelectorAll(':scope > .note'); // "Cut off at the token limit." and the like stay, after the text
  v.body.replaceChildren();
  v.md = new StreamingMarkdown(v.body, addCodeButtons);
  v.md.update(v.msg.text, true);
  v.body.append(...notes);
}

/** A view that goes away is no longer waited for. */
function forget(v: View) {
  if (!v.deferred) return;
  lazy.unobserve(v.body);
  deferredViews.delete(v.body);
}

/**
 * Renders the deferred answers that came near. What the user is reading stays where it is: the
 * first message in view that is not re-rendered keeps its place on screen (the scroller's own
 * anchoring is off, for following), or, while following, the view stays at the bottom.
 */
function renderNear(entries: IntersectionObserverEntry[]) {
  const near = entries.filter((e) => e.isIntersecting).map((e) => deferredViews.get(e.target)).filter((v): v is View => !!v);
  if (!near.length) return;
  const top = scroller.getBoundingClientRect().top;
  const anchor = follow.following ? undefined
    : [...list.children].find((el) => el.getBoundingClientRect().bottom > top && !near.some((v) => v.el === el));
  const before = anchor?.getBoundingClientRect().top;
  for (const v of near) render(v);
  if (anchor && before !== undefined) {
    const shift = anchor.getBoundingClientRect().top - before;
    if (shift) {
      scroller.scrollTop += shift;
      follow.placed(scroller.scrollTop);
    }
  } else if (follow.following) scrollSoon();
}

/** A message's view, appended to the list (or in place of `replacing`); `deferred`: an older answer (see `EAGER`). */
function addMessage(msg: UiMessage, replacing?: View, deferred = false): View {
  const body = h('div', { class: 'content' });
  const el = h('article', { class: `message ${msg.role}`, 'data-status': msg.status, 'data-id': msg.id },
    h('div', { class: 'who' }, msg.role === 'user' ? l10n.t('You') : msg.model ?? l10n.t('Assistant')), body);
  const v: View = { msg: { ...msg }, el, body, statsAt: performance.now(), pendingText: '', pendingReasoning: '' };
  if (msg.role === 'user') {
    body.textContent = msg.text;
    for (const a of msg.attachments ?? []) el.append(attachmentDetails(a));
    el.append(h('div', { class: 'message-actions' }, button(STRINGS.edit, STRINGS.editTitle, () => startEdit(), { class: 'last-only', 'data-action': 'edit' })));
  } else {
    if (msg.reasoning) ensureReasoning(v).textContent = msg.reasoning;
    if (deferred && msg.text && msg.status !== 'streaming') defer(v);
    else {
      v.md = new StreamingMarkdown(body, addCodeButtons);
      if (msg.text) v.md.update(msg.text, msg.status !== 'streaming');
    }
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
  if (replacing) replacing.el.replaceWith(el);
  else list.append(el);
  renderEmpty();
  return v;
}

function ensureReasoning(v: View): HTMLElement {
  if (!v.reasoning) {
    v.reasoning = h('div', { class: 'reasoning-text' });
    v.reasoningSummary = h('summary', {});
    v.el.insertBefore(h('details', { class: 'reasoning' }, v.reasoningSummary, v.reasoning), v.body);
    renderReasoning(v);
  }
  return v.reasoning;
}

/** The reasoning's summary, from the latest stats; while the model reasons the seconds count on between deltas. */
function renderReasoning(v: View) {
  if (!v.reasoningSummary) return;
  const live = stillReasoning(v.msg.status, !!v.msg.text) ? (v.msg.stats?.reasoningMs ?? 0) + performance.now() - v.statsAt : 0;
  const text = reasoningSummary(v.msg.stats, v.msg.status, !!v.msg.text, live);
  if (v.reasoningSummary.textContent !== text) v.reasoningSummary.textContent = text;
}

/** Applies everything that arrived since the last frame, once. */
function frame() {
  frameQueued = false;
  for (const v of views.values()) {
    if (v.pendingReasoning) {
      v.msg.reasoning = (v.msg.reasoning ?? '') + v.pendingReasoning;
      ensureReasoning(v).append(v.pendingReasoning); // a text node more, not the whole reasoning again
      v.pendingReasoning = '';
    }
    if (v.pendingText) {
      const first = !v.msg.text;
      v.msg.text += v.pendingText;
      v.md?.append(v.pendingText);
      v.pendingText = '';
      if (first && v.reasoningSummary) renderReasoning(v); // the answer began: the reasoning is over
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
  const text = speedLine(v.msg.stats, v.msg.status, live ? (v.msg.stats?.durationMs ?? 0) + performance.now() - v.statsAt : undefined, v.msg.finishReason);
  if (v.speed.textContent !== text) v.speed.textContent = text;
  v.speed.hidden = !text;
  // Screen readers hear the finished line once, not a clock ticking inside the live region.
  if (live) v.speed.setAttribute('aria-hidden', 'true');
  else v.speed.removeAttribute('aria-hidden');
}

/** A few times a second (not every frame): the streaming speed lines. */
function tick() {
  for (const v of ticking) {
    if (v.msg.status === 'streaming' && views.get(v.msg.id) === v) {
      renderSpeed(v);
      renderReasoning(v);
    } else ticking.delete(v);
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

let lastFrameEnd = -Infinity;
const SHOWN = 'askLlm.snapshotShown';
/**
 * The host already sends at most about one delta per frame, so a delta is rendered as soon as it
 * arrives: waiting for the next animation frame would add half a frame on average (the floor
 * probe shows text at once). Only messages that bunched up while the view was busy (handled right
 * after a render, back to back) wait and are rendered together in the next animation frame.
 */
function queueFrame() {
  if (frameQueued) return;
  if (performance.now() - lastFrameEnd >= 3) {
    frame();
    lastFrameEnd = performance.now();
    return;
  }
  frameQueued = true;
  requestAnimationFrame(() => {
    frame();
    lastFrameEnd = performance.now();
  });
}

function handle(m: HostMessage) {
  switch (m.type) {
    case 'snapshot': {
      const start = performance.now();
      views.clear();
      lazy.disconnect();
      deferredViews.clear();
      list.replaceChildren();
      provider = m.provider;
      for (const [i, msg] of m.messages.entries()) addMessage(msg, undefined, i < m.messages.length - EAGER);
      markLast();
      setStreaming(m.streaming);
      renderProvider();
      follow.resume();
      jumpBtn.hidden = true;
      queueFrame();
      // How long the first conversation took to render, and when it was on screen (a frame later):
      // for DevTools and bench/ (a reload of a long chat).
      if (!performance.getEntriesByName(SHOWN).length) {
        performance.measure('askLlm.snapshotRender', { start });
        requestAnimationFrame(() => setTimeout(() => performance.mark(SHOWN)));
      }
      return;
    }
    case 'messageAdded':
      addMessage(m.message);
      markLast();
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
        // Shown by the ticker, not every frame; but when the wait ends (the provider accepted, the
        // first words came) at once, or the line would say "waiting" under the text for a tick.
        const was = v.msg.stats;
        v.msg.stats = m.stats;
        v.statsAt = performance.now();
        if ((was?.provider === undefined) !== (m.stats.provider === undefined) || (was?.firstTokenMs === undefined) !== (m.stats.firstTokenMs === undefined)) renderSpeed(v);
      }
      queueFrame();
      return;
    }
    case 'messageDone': {
      const v = views.get(m.id);
      if (!v) return;
      render(v); // never deferred in practice (only older, finished answers are): its text must not be lost
      frame(); // the last deltas first, then the final state
      v.msg.status = m.status;
      v.msg.finishReason = m.finishReason;
      v.msg.error = m.error;
      if (m.stats) v.msg.stats = m.stats;
      finishView(v);
      announcer.answer(v.msg, v.body);
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
    case 'messageReplaced': {
      const old = views.get(m.message.id);
      if (old) forget(old);
      addMessage(m.message, old);
      markLast();
      if (m.message.status === 'streaming') setStreaming(true);
      queueFrame();
      return;
    }
    case 'messagesRemoved':
      for (const id of m.ids) {
        const v = views.get(id);
        if (!v) continue;
        v.el.remove();
        views.delete(id);
        forget(v);
      }
      markLast();
      renderEmpty();
      return;
    case 'chats':
      if (m.activeId !== activeChat && editing) cancelEdit();
      activeChat = m.activeId;
      history.update(m.chats, m.activeId);
      return;
    case 'attached':
      chips.add(m.attachment);
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

let activeChat = '';
/** The last question is in the box being edited; what the box held before comes back on cancel. */
let editing = false;
let beforeEdit: { draft: string; attachments: UiAttachment[] } | undefined;

function submit() {
  const text = prompt.value;
  if (!text.trim()) return;
  const attachments = chips.items;
  const atCursor = atCursorBox.checked;
  send({ type: editing ? 'editLast' : 'send', text, ...(attachments.length ? { attachments } : {}), ...(atCursor ? { atCursor } : {}) });
  setEditing(false);
  prompt.value = '';
  chips.set([]);
  autosize();
  saveDraft();
}

function setEditing(on: boolean) {
  editing = on;
  editingNote.hidden = !on;
  if (!on) beforeEdit = undefined;
}

/** The last question into the box (with its attachments), to change and send again. */
function startEdit() {
  const last = lastIds([...views.values()].map((v) => v.msg)).question;
  const question = last === undefined ? undefined : views.get(last)?.msg;
  if (!question) return;
  if (!editing) beforeEdit = { draft: prompt.value, attachments: chips.items };
  setEditing(true);
  prompt.value = question.text;
  chips.set(question.attachments ?? []);
  autosize();
  prompt.focus();
  prompt.setSelectionRange(prompt.value.length, prompt.value.length);
}

function cancelEdit() {
  const back = beforeEdit;
  setEditing(false);
  prompt.value = back?.draft ?? '';
  chips.set(back?.attachments ?? []);
  autosize();
  prompt.focus();
}

let draftTimer: ReturnType<typeof setTimeout> | undefined;
/** Keeps the question being written (not an edit of the last one) for when the view comes back. */
function saveDraft() {
  if (draftTimer !== undefined) return;
  draftTimer = setTimeout(() => {
    draftTimer = undefined;
    vscode.setState(editing
      ? { draft: beforeEdit?.draft, attachments: beforeEdit?.attachments, atCursor: atCursorBox.checked }
      : { draft: prompt.value, attachments: chips.items, atCursor: atCursorBox.checked });
  }, 200);
}

function restoreDraft() {
  const s = vscode.getState() as DraftState | undefined;
  if (!s) return;
  prompt.value = typeof s.draft === 'string' ? s.draft : '';
  if (Array.isArray(s.attachments)) chips.set(s.attachments.filter((a) => typeof a?.text === 'string' && typeof a.label === 'string'));
  atCursorBox.checked = s.atCursor === true;
}

function toggleHistory(open = !history.isOpen) {
  history.setOpen(open);
  historyBtn.setAttribute('aria-expanded', String(open));
  scroller.hidden = open;
}

prompt.addEventListener('keydown', (e) => {
  const action = promptKeyAction(e, { streaming, empty: prompt.value === '', editing });
  if (!action) return;
  e.preventDefault();
  switch (action) {
    case 'send': return submit();
    case 'stop': return send({ type: 'stop' });
    case 'editLast': return startEdit();
    case 'cancelEdit': return cancelEdit();
    default: return assertNever(action);
  }
});
let typingPostedAt = -Infinity;
prompt.addEventListener('input', () => {
  autosize();
  saveDraft();
  // The host opens the connection to the provider while the user types (at most every 2.5 s: a
  // connection left idle closes after about 4 s), so that Enter finds it open.
  if (performance.now() - typingPostedAt > 2500) {
    typingPostedAt = performance.now();
    send({ type: 'typing' });
  }
});
atCursorBox.addEventListener('change', saveDraft);
scroller.addEventListener('scroll', () => {
  const hide = follow.scrolled(scrollPos(), performance.now());
  if (jumpBtn.hidden !== hide) jumpBtn.hidden = hide; // only when it changes: this runs on every frame the view follows
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
restoreDraft();
renderProvider();
send({ type: 'ready' });
prompt.focus();
autosize();
