// Code-aware insertion: fences left out as the answer streams, indentation, and the fences put back
// when the answer was not one block. Every case is fed whole, one character at a time, and in
// pieces of three, and must give the same text.
import { strict as assert } from 'node:assert';
import { AnswerShaper, type ShapeOptions } from '../../src/core/shape';

function shape(answer: string, opts: Partial<ShapeOptions> = {}, size = answer.length || 1) {
  let opening: string | undefined;
  const s = new AnswerShaper({ unfence: true, indent: '', ...opts, onNotOneBlock: (o) => { opening = o; } });
  let out = '';
  for (let i = 0; i < answer.length; i += size) out += s.push(answer.slice(i, i + size));
  out += s.flush();
  return { out, opening, language: s.language };
}

function each(answer: string, opts: Partial<ShapeOptions>, expected: string) {
  for (const size of [answer.length || 1, 1, 3]) assert.equal(shape(answer, opts, size).out, expected, `pieces of ${size}`);
}

describe('code-aware insertion (AnswerShaper)', () => {
  it('an answer that is one fenced block: only its content, with no newline before the closing fence', () => {
    const a = '```python\nprint("你好 🌏")\nprint(2)\n```\n';
    each(a, {}, 'print("你好 🌏")\nprint(2)');
    assert.equal(shape(a).language, 'python');
  });

  it('the fences are left out while it streams, not after', () => {
    const s = new AnswerShaper({ unfence: true, indent: '' });
    assert.equal(s.push('```ts\n'), '');
    assert.equal(s.push('const a = 1;\ncon'), 'const a = 1;\ncon', 'a line that cannot be a fence goes at once');
    assert.equal(s.push('st b'), 'st b');
    assert.equal(s.push('\n``'), '', 'a line that may be the closing fence waits');
    assert.equal(s.push('`\n'), '');
    assert.equal(s.flush(), '');
  });

  it('lines after the first take the indentation; blank lines get none', () => {
    each('```js\nif (a) {\n  b();\n\n}\n```', { indent: '    ' }, 'if (a) {\n      b();\n\n    }');
    each('line one\nline two\n\nthree', { indent: '\t', unfence: false }, 'line one\n\tline two\n\n\tthree');
  });

  it('text after the closing fence: the answer is not one block, and the fences come back', () => {
    const a = '```js\nx()\n```\n\nThat calls x.';
    for (const size of [a.length, 1, 3]) {
      const r = shape(a, {}, size);
      assert.equal(r.opening, '```js\n');
      assert.equal(r.opening + r.out, a, `pieces of ${size}`);
      assert.equal(r.language, undefined);
    }
  });

  it('prose first, inline code, Markdown targets: written as they come', () => {
    each('Here:\n```js\nx\n```', {}, 'Here:\n```js\nx\n```');
    each('`x` is a variable', {}, '`x` is a variable');
    each('```js\nx\n```', { unfence: false }, '```js\nx\n```');
    assert.equal(shape('Here').opening, undefined);
  });

  it('a longer fence holds a shorter one; tildes work; a fence with a backtick in its info string is not one', () => {
    each('````md\n```\ninner\n```\n````\n', {}, '```\ninner\n```');
    each('~~~\na\n~~~', {}, 'a');
    each('``` a`b\nc', {}, '``` a`b\nc');
  });

  it('a cut answer: what was held back comes out on flush, and the block goes on after it', () => {
    const s = new AnswerShaper({ unfence: true, indent: '  ' });
    assert.equal(s.push('```py\nline1\n  '), 'line1');
    assert.equal(s.flush(), '\n    ');
    assert.equal(s.push('x\n```'), 'x');
    assert.equal(s.flush(), '', 'the closing fence at the very end is still a fence');
  });

  it('CRLF answers: the fences are found and the lines kept', () => {
    each('```c\r\nint a;\r\nint b;\r\n```\r\n', {}, 'int a;\nint b;');
  });
});
