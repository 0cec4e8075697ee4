// Enforces the dependency rule of DESIGN.md ("Layout", "Dependency rule") on src/:
//   core       pure: imports only core (no npm package, no node builtin, nothing of ours outside it)
//   shared     imports nothing (host and webview both load it, each in its own world)
//   providers  never host, webview, api, extension or vscode
//   webview    only webview, shared and npm packages (a browser bundle: no node builtins)
//   vscode     only in host/ and extension.ts, type-only imports included: a type import still
//              ties a file to the editor, and the plain-Node unit run is meant to prove it does not
//   webview    is imported by nobody else (it is a separate bundle); api never imports host
//   openai     the SDK (or providers/openai.ts) only in the SDK adapters and the lazy adapter table,
//              so a native kind (anthropic, gemini, ollama, dashscope, ernie, sse) never loads it
// Specifiers come from the TypeScript parser, not regexes, so comments, strings and multi-line
// imports cannot fool it, and every form counts: import, export-from, import x = require(),
// import(), require(), import('x').T types and /// <reference types>.
//
//   node scripts/lint-layers.mjs [--root DIR]     checks DIR/src (default: this repository)
// Prints one `file:line: rule` per violation and exits 1 if there is any.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
if (rootArg >= 0 && !args[rootArg + 1]) {
  console.error('usage: node scripts/lint-layers.mjs [--root DIR]');
  process.exit(2);
}
const root = path.resolve(rootArg >= 0 ? args[rootArg + 1] : path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const srcDir = path.join(root, 'src');
if (!fs.existsSync(srcDir)) {
  console.error(`lint-layers: no src/ under ${root}`);
  process.exit(2);
}

const builtins = new Set(builtinModules);
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]);

/** The layer a path under src/ belongs to: its first folder, or the file's own name for top-level files. */
function layerOf(abs) {
  const rel = path.relative(srcDir, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return 'outside';
  const [first, ...rest] = rel.split(path.sep);
  return rest.length ? first : first.replace(/\.[cm]?[jt]sx?$/, '').replace(/\.d$/, '');
}

/** Every module specifier in a file, with the line it is on. `null` spec = not a string literal. */
function specifiers(file) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (node, spec) => found.push({ spec, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  const literal = (n) => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : null);
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      add(node, literal(node.moduleSpecifier));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, literal(node.moduleReference.expression));
    } else if (ts.isCallExpression(node)
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node, literal(node.arguments[0]));
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, literal(node.argument.literal));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const ref of sf.typeReferenceDirectives) {
    found.push({ spec: ref.fileName, line: sf.getLineAndCharacterOfPosition(ref.pos).line + 1 });
  }
  return found;
}

/** What a specifier points at: vscode, a node builtin, an npm package, or a layer of src/ (or outside). */
function targetOf(file, spec) {
  if (spec === 'vscode' || spec.startsWith('vscode/')) return 'vscode';
  if (spec.startsWith('.') || path.isAbsolute(spec)) return layerOf(path.resolve(path.dirname(file), spec));
  return isBuiltin(spec) ? 'builtin' : 'package';
}

/** The rule a file in `layer` breaks by importing `target`, or undefined. */
function broken(layer, target) {
  if (target === 'vscode' && layer !== 'host' && layer !== 'extension') return 'vscode may be imported only in src/host and src/extension.ts (type imports too)';
  if (layer === 'shared') return 'src/shared imports nothing';
  if (layer === 'core' && target !== 'core') return target === 'package' || target === 'builtin'
    ? 'src/core is pure: no npm packages, no node builtins'
    : 'src/core imports only src/core';
  if (target === 'outside') return 'src/ imports nothing outside src/';
  if (layer === 'webview') {
    if (target === 'builtin') return 'src/webview is a browser bundle: no node builtins';
    if (target !== 'webview' && target !== 'shared' && target !== 'package') return 'src/webview imports only src/webview, src/shared and npm packages';
    return undefined;
  }
  if (target === 'webview') return 'only src/webview imports src/webview (it is a separate browser bundle)';
  if (layer === 'providers' && ['host', 'api', 'extension'].includes(target)) return 'src/providers never imports host, webview, api or extension';
  if (layer === 'api' && (target === 'host' || target === 'extension')) return 'src/api.ts is built on providers and core, never host';
  return undefined;
}

const SDK_FILES = new Set(['openai.ts', 'openaiCompletions.ts', 'azure.ts', 'index.ts']);

/** Only the SDK adapters may load the openai package, directly or through providers/openai.ts. */
function sdkRule(file, spec) {
  const sdk = spec === 'openai' || spec.startsWith('openai/')
    || (spec.startsWith('.') && /[\\/]providers[\\/]openai(\.ts)?$/.test(path.resolve(path.dirname(file), spec)));
  if (!sdk || (layerOf(file) === 'providers' && SDK_FILES.has(path.basename(file)))) return undefined;
  return 'only the SDK adapters (providers/openai.ts, openaiCompletions.ts, azure.ts) load the openai package: use providers/normalize.ts';
}

const files = fs.readdirSync(srcDir, { recursive: true })
  .map((f) => path.join(srcDir, String(f)))
  .filter((f) => /\.[cm]?[jt]sx?$/.test(f) && fs.statSync(f).isFile())
  .sort();
let violations = 0;
for (const file of files) {
  const layer = layerOf(file);
  for (const { spec, line } of specifiers(file)) {
    // A computed specifier could load anything: the rule can only hold if every one is a literal.
    const rule = spec === null ? 'module specifier is not a string literal, so its layer cannot be checked' : broken(layer, targetOf(file, spec)) ?? sdkRule(file, spec);
    if (!rule) continue;
    violations++;
    console.log(`${path.relative(root, file)}:${line}: ${rule}${spec === null ? '' : ` ('${spec}')`}`);
  }
}
console.log(`lint-layers: ${files.length} files, ${violations} violation${violations === 1 ? '' : 's'}`);
process.exit(violations ? 1 : 0);
