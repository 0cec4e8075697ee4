// The probe webviews. floor: append plain text into paragraph blocks (no Markdown, no logic).
// naive: re-render the whole message as Markdown on every token.
import MarkdownIt from 'markdown-it';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };
const vscodeApi = acquireVsCodeApi();
const out = document.getElementById('out')!;
const variant = document.body.dataset.variant;
const md = new MarkdownIt();
let text = '';
let para: HTMLParagraphElement | undefined;

function appendFloor(chunk: string) {
  const parts = chunk.split('\n\n');
  parts.forEach((part, i) => {
    if (i > 0 || !para) {
      para = document.createElement('p');
      out.appendChild(para);
    }
    if (part) para.appendChild(document.createTextNode(part));
  });
}

window.addEventListener('message', (e: MessageEvent<{ type: string; text?: string }>) => {
  const m = e.data;
  if (m.type === 'reset') {
    out.textContent = '';
    text = '';
    para = undefined;
  } else if (m.type === 'batch' && m.text) {
    appendFloor(m.text);
  } else if (m.type === 'token' && m.text) {
    text += m.text;
    if (variant === 'naive') out.innerHTML = md.render(text);
    else appendFloor(m.text);
  }
});
// The bare hop from a keypress to the request (floor only): Enter in this box posts the question
// to the probe's extension host, which sends it at once (bench/run.mjs, "Enter → request").
if (variant === 'floor') {
  const ask = document.createElement('textarea');
  ask.id = 'ask';
  document.body.prepend(ask);
  ask.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    e.preventDefault();
    vscodeApi.postMessage({ type: 'ask', text: ask.value });
    ask.value = '';
  });
}
vscodeApi.postMessage({ type: 'ready' });
