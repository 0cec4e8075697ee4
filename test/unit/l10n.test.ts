// English and Simplified Chinese, and nothing left out: every `%key%` of package.json has its text
// in package.nls.json and package.nls.zh-cn.json (and those files hold no other keys); every
// user-facing field of package.json is such a key; every message passed to `l10n.t(` in src/ (the
// host's vscode.l10n.t, core's injected translator, the chat view's own) is a string literal with
// an entry in l10n/bundle.l10n.zh-cn.json (which holds no other); the STRINGS / TEXT blocks hold no
// English that skips the translator; placeholders ({0}, `code`, command links) survive translation.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { noProfileError, hintFor, missingKeyError } from '../../src/core/errors';
import { formatMessage, l10n, setTranslator } from '../../src/core/l10n';
import { parseProfiles, problemsById } from '../../src/core/profiles';
import { L10N_ELEMENT_ID, l10nScriptContent } from '../../src/shared/l10n';

function root(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(root(), rel), 'utf8'));

/** Every .ts file under src/. */
function sources(): string[] {
  const dir = path.join(root(), 'src');
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

/** A source file parsed once (two tests walk them all). */
const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed.set(file, sf);
  }
  return sf;
}

interface Call { file: string; line: number; message?: string; text: string }

/** Every `l10n.t(…)` / `vscode.l10n.t(…)` call in src/, with its first argument when that is a string literal. */
function l10nCalls(): Call[] {
  const calls: Call[] = [];
  for (const file of sources()) {
    const sf = parse(file);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText(sf))) {
        const arg = node.arguments[0];
        calls.push({
          file: path.relative(root(), file),
          line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
          text: node.getText(sf).slice(0, 80),
          ...(arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? { message: arg.text } : {}),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return calls;
}

/** Terms Chinese users know by their English names (Baidu's console calls it "Secret Key"). */
const SAME_IN_CHINESE = new Set(['secret key']);

/** The only calls whose message is not a literal: the translators that hand messages on. */
const FORWARDERS = new Set(['src/extension.ts']);

/** What must survive a translation unchanged: placeholders, `code`, {{template}} fields, command links. */
function invariants(text: string): string[] {
  return [
    ...text.match(/\{\d+\}/g) ?? [],
    ...text.match(/`[^`]+`/g) ?? [],
    ...text.match(/\{\{\w+\}\}/g) ?? [],
    ...text.match(/\]\((command:[^)]+)\)/g)?.map((l) => l.slice(2)) ?? [],
    ...text.match(/#[\w.]+#/g) ?? [],
  ].sort();
}

/** Every `%key%` string anywhere in a manifest. */
function nlsKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = /^%([\w.-]+)%$/.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) nlsKeys(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) nlsKeys(v, out);
  }
  return out;
}

/** Names users read in package.json (a product name may stay as it is). */
const USER_FIELDS = new Set(['description', 'markdownDescription', 'patternErrorMessage', 'deprecationMessage', 'markdownDeprecationMessage', 'title', 'name', 'altText', 'label', 'displayName', 'fullName']);
const PRODUCT_NAMES = new Set(['Ask LLM', 'ask', 'DeepSeek', 'Ollama']);

/** Strings users read in `contributes` that are not `%key%` placeholders. */
function untranslated(node: unknown, where: string, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach((v, i) => untranslated(v, `${where}[${i}]`, out));
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      const at = `${where}.${k}`;
      // Keys and values of settings are data, not words: their descriptions are checked below them.
      if (k === 'examples' || k === 'default' || k === 'body' || k === 'enum' || k === 'when' || k === 'command') continue;
      if (typeof v === 'string' && USER_FIELDS.has(k) && !/^%[\w.-]+%$/.test(v) && !PRODUCT_NAMES.has(v)) out.push(`${at}: ${v}`);
      else if (k === 'enumDescriptions' && Array.isArray(v)) v.forEach((d, i) => { if (!/^%[\w.-]+%$/.test(String(d))) out.push(`${at}[${i}]`); });
      else if (k === 'markdown' && typeof v === 'string' && !/^%[\w.-]+%$/.test(v)) out.push(`${at}: ${v}`);
      else untranslated(v, at, out);
    }
  }
  return out;
}

describe('localization: English and Simplified Chinese', () => {
  describe('package.json', () => {
    const pkg = readJson('package.json');
    const en: Record<string, string> = readJson('package.nls.json');
    const zh: Record<string, string> = readJson('package.nls.zh-cn.json');
    const used = nlsKeys(pkg);

    it('every %key% has English and Chinese text, and neither file holds keys nothing uses', () => {
      assert.ok(used.size > 50, `only ${used.size} keys`);
      assert.deepEqual([...used].filter((k) => !(k in en)), [], 'missing in package.nls.json');
      assert.deepEqual([...used].filter((k) => !(k in zh)), [], 'missing in package.nls.zh-cn.json');
      assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)), [], 'stale in package.nls.json');
      assert.deepEqual(Object.keys(zh).filter((k) => !used.has(k)), [], 'stale in package.nls.zh-cn.json');
      for (const k of used) {
        assert.ok(en[k].trim() && zh[k].trim(), k);
        assert.deepEqual(invariants(zh[k]), invariants(en[k]), `${k}: placeholders, code and command links`);
      }
    });

    it('every title, description, setting text and walkthrough text is a %key%', () => {
      assert.deepEqual(untranslated(pkg.contributes, 'contributes'), []);
      assert.match(pkg.description, /^%[\w.-]+%$/);
      assert.equal(pkg.l10n, './l10n', 'package.json names the l10n bundle folder');
    });

    it('the walkthrough\'s Markdown exists in both languages', () => {
      for (const step of pkg.contributes.walkthroughs.flatMap((w: { steps: Array<{ media: Record<string, string> }> }) => w.steps)) {
        const key = /^%([\w.-]+)%$/.exec(step.media.markdown ?? '')?.[1];
        if (!key) continue;
        assert.ok(fs.existsSync(path.join(root(), en[key])), en[key]);
        assert.ok(fs.existsSync(path.join(root(), zh[key])), zh[key]);
        assert.notEqual(en[key], zh[key]);
      }
    });
  });

  describe('l10n/bundle.l10n.zh-cn.json (vscode.l10n, core, the chat view)', () => {
    const bundle: Record<string, string> = readJson('l10n/bundle.l10n.zh-cn.json');
    const calls = l10nCalls();

    it('every l10n.t( call passes its English message as a string literal', () => {
      assert.ok(calls.length > 300, `only ${calls.length} calls found`);
      assert.deepEqual(calls.filter((c) => c.message === undefined && !FORWARDERS.has(c.file)).map((c) => `${c.file}:${c.line} ${c.text}`), []);
    });

    it('every message has a Chinese translation, and the bundle holds no message nothing uses', () => {
      const messages = new Set(calls.flatMap((c) => (c.message === undefined ? [] : [c.message])));
      const missing = calls.filter((c) => c.message !== undefined && !(c.message in bundle)).map((c) => `${c.file}:${c.line} ${JSON.stringify(c.message)}`);
      assert.deepEqual(missing, [], 'missing in l10n/bundle.l10n.zh-cn.json');
      assert.deepEqual(Object.keys(bundle).filter((k) => !messages.has(k)), [], 'stale in l10n/bundle.l10n.zh-cn.json');
    });

    it('translations keep every placeholder and code span, and are Chinese', () => {
      for (const [en, zh] of Object.entries(bundle)) {
        assert.equal(typeof zh, 'string', en);
        assert.deepEqual(invariants(zh), invariants(en), `${JSON.stringify(en)} → ${JSON.stringify(zh)}`);
        // A few messages are symbols, units or product names, the same in both languages.
        if (SAME_IN_CHINESE.has(en)) continue;
        if (/[a-z]{3,}/i.test(en.replace(/\{\d+\}|`[^`]*`|Ask LLM|https?:\S+|tok\/s/g, ''))) assert.match(zh, /[\u4e00-\u9fff]/, `not translated: ${JSON.stringify(en)}`);
      }
    });

    it('the STRINGS and TEXT blocks hold no English that skips the translator', () => {
      const found: string[] = [];
      for (const file of sources()) {
        const sf = parse(file);
        const visit = (node: ts.Node) => {
          if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && /^(STRINGS|TEXT)$/.test(node.name.text) && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
            const scan = (n: ts.Node) => {
              if (ts.isCallExpression(n) && /(^|\.)l10n\.t$/.test(n.expression.getText(sf))) return; // translated
              if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) && /[A-Za-z]{2,}/.test(n.text)) {
                found.push(`${path.relative(root(), file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} ${n.getText(sf).slice(0, 60)}`);
              }
              ts.forEachChild(n, scan);
            };
            scan(node.initializer);
          }
          ts.forEachChild(node, visit);
        };
        visit(sf);
      }
      assert.deepEqual(found, []);
    });
  });

  describe('core/ translates through the host\'s translator', () => {
    afterEach(() => setTranslator(undefined));

    it('without one (plain Node, the API outside VS Code) messages are English, placeholders filled', () => {
      assert.equal(l10n.t('{0} of {1}, {0} again, {2} stays', 1, 'two'), '1 of two, 1 again, {2} stays');
      assert.equal(formatMessage('no {0} here', []), 'no {0} here');
      assert.match(noProfileError().message, /^No provider is configured/);
    });

    it('with one, errors, hints and the settings\' problems are made in the display language', () => {
      const bundle: Record<string, string> = readJson('l10n/bundle.l10n.zh-cn.json');
      setTranslator((message, args) => formatMessage(bundle[message] ?? `UNTRANSLATED ${message}`, args));
      assert.equal(noProfileError('qwen').message, 'askLlm.providers 中没有提供方配置“qwen”。');
      assert.match(hintFor({ kind: 'auth', message: '', retryable: false }, 'DeepSeek')!, /^DeepSeek 的 API 密钥被拒绝或缺失。请运行“Ask LLM: 设置 API 密钥…”/);
      assert.match(missingKeyError({ id: 'qwen', apiKeyEnv: 'DASHSCOPE_API_KEY' }).message, /配置“qwen”.*DASHSCOPE_API_KEY/);
      assert.equal(hintFor(missingKeyError({ id: 'deepseek' }), 'DeepSeek'), undefined, 'the message says to set the key: the hint does not say it again');
      // The settings' problems are found by id in translated messages too.
      const raw = [{ id: 'bad', kind: 'openai' }];
      const parsed = parseProfiles(raw);
      assert.match(parsed.errors[0], /“model”为必填项/);
      assert.equal(problemsById(raw, parsed).get('bad'), '“model”为必填项');
    });
  });

  describe('the chat view gets the bundle from the host', () => {
    it('as JSON no message can break out of (no "<" survives), read back as it was', () => {
      const hostile = { 'a </script><script>alert(1)</script>': '<!-- 中文 </script>' };
      const content = l10nScriptContent(hostile);
      assert.doesNotMatch(content, /</);
      assert.deepEqual(JSON.parse(content), hostile);
      assert.equal(l10nScriptContent(undefined), '{}', 'English: no bundle, the view keeps its English');
    });

    it('in the element the view reads, in the page chatView.ts builds, with <html lang>', () => {
      const host = fs.readFileSync(path.join(root(), 'src/host/chatView.ts'), 'utf8');
      assert.match(host, /<html lang="\$\{lang\}">/);
      assert.match(host, /id="\$\{L10N_ELEMENT_ID\}">\$\{l10nScriptContent\(vscode\.l10n\.bundle\)\}<\/script>/);
      assert.match(fs.readFileSync(path.join(root(), 'src/webview/l10n.ts'), 'utf8'), /getElementById\(L10N_ELEMENT_ID\)/);
      assert.equal(L10N_ELEMENT_ID, 'askllm-l10n');
    });
  });
});
