// The layer linter (scripts/lint-layers.mjs) must itself be trusted: a linter that passes everything
// would leave the dependency rule unguarded without anyone noticing. Run it on throwaway trees.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** scripts/lint-layers.mjs, found upwards from here (this runs as dist/test/unit/*.js). */
function linter(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'scripts', 'lint-layers.mjs');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find scripts/lint-layers.mjs above ${__dirname}`);
}

/** Writes `files` (path under the tree → content) to a fresh temp dir and lints it. */
function lint(files: Record<string, string>): { status: number | null; out: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'askllm-layers-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const r = spawnSync(process.execPath, [linter(), '--root', root], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('layer linter (scripts/lint-layers.mjs)', () => {
  it('fails when core imports host, naming the file and line', () => {
    const r = lint({ 'src/core/x.ts': `// core\nimport { y } from '../host/y';\n`, 'src/host/y.ts': 'export const y = 1;\n' });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /src\/core\/x\.ts:2: /);
  });

  it('fails on a type-only vscode import outside host, in any import form', () => {
    // One tree for all forms: each run loads the TypeScript compiler (about a second).
    const forms = [`import type * as vscode from 'vscode';\n`, `export type { Uri } from 'vscode';\n`, `let u: import('vscode').Uri;\n`];
    const r = lint(Object.fromEntries(forms.map((text, i) => [`src/providers/p${i}.ts`, text])));
    assert.equal(r.status, 1, r.out);
    forms.forEach((_, i) => assert.match(r.out, new RegExp(`src/providers/p${i}\\.ts:1: .*vscode`), r.out));
  });

  it('fails when a native adapter loads the openai SDK, directly or through providers/openai.ts', () => {
    const r = lint({
      'src/providers/gemini.ts': `import { normalizeFinishReason } from './openai';\n`,
      'src/providers/ollama.ts': `import OpenAI from 'openai';\n`,
      'src/providers/openai.ts': `import OpenAI from 'openai';\nexport const x = 1;\n`,
      'src/providers/azure.ts': `import { x } from './openai';\n`,
    });
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /src\/providers\/gemini\.ts:1: only the SDK adapters/);
    assert.match(r.out, /src\/providers\/ollama\.ts:1: only the SDK adapters/);
    assert.doesNotMatch(r.out, /(openai|azure)\.ts:1/, 'the SDK adapters themselves may');
  });

  it('passes a tree that keeps the rule, whatever comments and strings say', () => {
    const r = lint({
      'src/core/a.ts': `import type { B } from './b';\n// import '../host/h';\nexport const s = "import 'vscode'";\n`,
      'src/core/b.ts': 'export type B = number;\n',
      'src/host/h.ts': `import * as vscode from 'vscode';\nimport { s } from '../core/a';\n`,
      'src/webview/w.ts': `import MarkdownIt from 'markdown-it';\nimport type { M } from '../shared/protocol';\n`,
      'src/shared/protocol.ts': 'export type M = string;\n',
    });
    assert.equal(r.status, 0, r.out);
  });
});
