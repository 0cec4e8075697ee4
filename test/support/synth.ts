// Deterministic Markdown answers for the synthetic and demo routes of the fixture server.

const PARAGRAPHS = [
  'Streaming cuts the wait: the first words arrive while the model is still thinking about the rest. ',
  '杭州的西湖以山水著称，春天的苏堤最美。中文与 English 混排也要流畅 🚀。 ',
  'Each update is coalesced to one per animation frame, so a fast provider never floods the view. ',
];

const CODE = '```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n\n';
const LIST = '- first item with `inline code`\n- second item 第二项 ✨\n- third item\n\n';

/** Splits text into token-sized pieces (words with their trailing space, CJK characters one by one). */
export function tokenize(text: string): string[] {
  return text.match(/[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+/gu) ?? [];
}

/** About `tokens` pieces of Markdown: headings, prose, lists and code, CJK and emoji mixed in. */
export function synthText(tokens: number): string {
  let out = '';
  let section = 1;
  while (tokenize(out).length < tokens) {
    out += `## Section ${section}\n\n`;
    for (const p of PARAGRAPHS) out += p.repeat(2) + '\n\n';
    out += section % 2 ? LIST : CODE;
    section++;
  }
  return tokenize(out).slice(0, tokens).join('');
}

/** The demo's "recorded" answer: clearly a demo, but shaped like a real one. */
export function demoAnswer(prompt: string): string {
  const asked = prompt.trim() ? `You asked: *${prompt.trim().slice(0, 200).replace(/[*_`]/g, '')}*\n\n` : '';
  return (
    asked +
    'This is a **recorded demo answer** from the local replay server that `npm start` launched. ' +
    'Set `OPENAI_API_KEY` (and optionally `OPENAI_BASE_URL`, `OPENAI_MODEL`) before `npm start`, or run ' +
    '**Ask LLM: Select Provider…**, to talk to a real model.\n\n' +
    'Here is what a streamed answer looks like:\n\n' +
    '1. Text appears token by token, in the chat and at your cursor.\n' +
    '2. **Stop** closes the connection at once; the text so far stays.\n' +
    '3. One undo removes an inserted answer.\n\n' +
    '```python\ndef fib(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n\n' +
    '中文也没问题：流式输出，逐字显示 ✨\n'
  );
}
