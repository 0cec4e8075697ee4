// The settings as users meet them in the Settings editor and settings.json: every setting has a
// description, choices where it has choices, and examples; the JSON schema flags what the
// extension would refuse (and the examples it gives pass both); an invalid profile that is used
// says what is wrong with it. Also the contributions VS Code's own chat and the walkthrough need.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import Ajv from 'ajv';
import { parseProfiles, problemsById } from '../../src/core/profiles';
import { createApi } from '../../src/api';
import { collect } from '../support/collect';
import { replyServer } from '../support/api';

type Schema = {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  examples?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema & { defaultSnippets?: Array<{ label: string; body: unknown }> };
};

function root(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const pkg = () => JSON.parse(fs.readFileSync(path.join(root(), 'package.json'), 'utf8'));
/** A manifest string with its `%key%` placeholder resolved (English, package.nls.json). */
const nls = (s: string): string => {
  const key = /^%([\w.-]+)%$/.exec(s)?.[1];
  return key === undefined ? s : JSON.parse(fs.readFileSync(path.join(root(), 'package.nls.json'), 'utf8'))[key];
};
const settings = (): Record<string, Schema> => pkg().contributes.configuration.properties;
const profileSchema = () => settings()['askLlm.providers'].items!;

/** The fields of `ProviderProfile` as declared in src/core/types.ts (read with the TypeScript parser). */
function profileFields(): string[] {
  const file = path.join(root(), 'src/core/types.ts');
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let fields: string[] = [];
  sf.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'ProviderProfile') {
      fields = node.members.filter(ts.isPropertySignature).map((m) => m.name.getText(sf));
    }
  });
  return fields;
}

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(settings()['askLlm.providers']);
}

/** A snippet body with its tab stops filled with their defaults (`${1:qwen-plus}` → `qwen-plus`). */
function filled(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body).replace(/\$\{\d+:([^}]*)\}/g, '$1'));
}

describe('settings: descriptions, choices, examples, schema', () => {
  it('every setting and every profile field has a description and examples; every enum describes its values', () => {
    const missing: string[] = [];
    const check = (name: string, s: Schema) => {
      if (!s.description && !s.markdownDescription) missing.push(`${name}: description`);
      if (!Array.isArray(s.examples) || s.examples.length === 0) missing.push(`${name}: examples`);
      if (s.enum && s.enumDescriptions?.length !== s.enum.length) missing.push(`${name}: enumDescriptions`);
      for (const [k, sub] of Object.entries(s.properties ?? {})) check(`${name}.${k}`, sub);
    };
    for (const [name, s] of Object.entries(settings())) {
      check(name, s);
      for (const [k, sub] of Object.entries(s.items?.properties ?? {})) check(`${name}[].${k}`, sub);
    }
    assert.deepEqual(missing, []);
  });

  it('the profile schema names exactly the fields of ProviderProfile, and refuses others (typos show as problems)', () => {
    const declared = profileFields();
    assert.ok(declared.length > 10, `read ${declared.length} fields`);
    assert.deepEqual(Object.keys(profileSchema().properties!).sort(), [...declared].sort());
    assert.equal((profileSchema() as { additionalProperties?: unknown }).additionalProperties, false);
  });

  it('the examples and snippets it offers are valid for the schema and for the extension', () => {
    const validate = validator();
    const s = settings()['askLlm.providers'];
    const lists = [...(s.examples as unknown[][]), (s.items!.defaultSnippets ?? []).map((x) => filled(x.body))];
    for (const list of lists) {
      assert.ok(validate(list), `${JSON.stringify(list)}: ${JSON.stringify(validate.errors)}`);
      assert.deepEqual(parseProfiles(list).errors, [], JSON.stringify(list));
    }
    for (const [name, field] of Object.entries(s.items!.properties!)) {
      for (const ex of field.examples ?? []) {
        const profile = { id: 'x', kind: 'sse', model: 'm', url: 'http://127.0.0.1:1', [name]: ex };
        if (name === 'kind' && ex !== 'sse') delete (profile as Record<string, unknown>).url;
        assert.ok(validate([profile]), `${name}: ${JSON.stringify(ex)}: ${JSON.stringify(validate.errors)}`);
        assert.deepEqual(parseProfiles([profile]).errors, [], `${name}: ${JSON.stringify(ex)}`);
      }
    }
  });

  it('what the extension refuses, the schema flags too (a problem in the settings editor before it is used)', () => {
    const validate = validator();
    const bad: Array<[string, Record<string, unknown>]> = [
      ['model missing', { id: 'a', kind: 'openai' }],
      ['model empty', { id: 'a', kind: 'openai', model: '' }],
      ['kind misspelt', { id: 'a', kind: 'openia', model: 'm' }],
      ['sse without url', { id: 'a', kind: 'sse', model: 'm' }],
      ['azure without baseUrl', { id: 'a', kind: 'azure-openai', model: 'dep' }],
      ['baseUrl without a scheme', { id: 'a', kind: 'openai', model: 'm', baseUrl: 'api.deepseek.com' }],
      ['maxRetries too high', { id: 'a', kind: 'openai', model: 'm', maxRetries: 11 }],
      ['a negative timeout', { id: 'a', kind: 'openai', model: 'm', timeouts: { idleMs: -5 } }],
      ['headers that are not strings', { id: 'a', kind: 'openai', model: 'm', headers: { 'x-n': 1 } }],
      ['stream as a string', { id: 'a', kind: 'openai', model: 'm', stream: 'false' }],
      ['continuation unknown', { id: 'a', kind: 'openai', model: 'm', continuation: 'always' }],
      ['id missing', { kind: 'openai', model: 'm' }],
    ];
    for (const [why, profile] of bad) {
      assert.equal(validate([profile]), false, `the schema accepts: ${why}`);
      assert.ok(parseProfiles([profile]).errors.length > 0, `the extension accepts: ${why}`);
    }
    // A misspelt field is ignored at run time, so only the schema can point at it.
    assert.equal(validate([{ id: 'a', kind: 'openai', model: 'm', apikeyEnv: 'KEY' }]), false);
    // vscode-lm needs no model.
    assert.ok(validate([{ id: 'v', kind: 'vscode-lm' }]), JSON.stringify(validate.errors));
  });

  it('an invalid active profile is not replaced by another one: the request fails, naming the profile and what is wrong, and nothing is sent', async () => {
    const server = await replyServer('data: [DONE]\n\n');
    try {
      const raw = [
        { id: 'good', kind: 'openai', model: 'm', baseUrl: `${server.url}/v1` },
        { id: 'qwen', kind: 'openai', baseUrl: `${server.url}/v1` },
      ];
      const parsed = parseProfiles(raw);
      const problems = problemsById(raw, parsed);
      assert.deepEqual([...problems.entries()], [['qwen', '"model" is required']]);
      const api = createApi({ profiles: () => parsed.profiles, activeProfileId: () => 'qwen', keysFor: async () => ({ apiKey: 'k' }), profileProblem: (id) => problems.get(id) });
      for (const opts of [{}, { provider: 'qwen' }]) {
        const got = await collect(api.streamEvents('hi', opts));
        const error = got.terminal?.type === 'error' ? got.terminal.error : undefined;
        assert.equal(error?.kind, 'badRequest', JSON.stringify(got.terminal));
        assert.match(error!.message, /profile "qwen" in askLlm\.providers is invalid, so nothing was sent: "model" is required/);
      }
      assert.equal(server.seen.length, 0);
    } finally {
      await server.close();
    }
  });
});

describe('contributions for VS Code\'s chat, models, doctor and walkthrough', () => {
  it('the chat participant askllm.ask (@ask) and the language model vendor askllm', () => {
    const c = pkg().contributes;
    assert.deepEqual(c.chatParticipants.map((p: { id: string; name: string }) => [p.id, p.name]), [['askllm.ask', 'ask']]);
    assert.deepEqual(c.languageModelChatProviders.map((p: { vendor: string }) => p.vendor), ['askllm']);
    const src = fs.readFileSync(path.join(root(), 'src/host/lmProvider.ts'), 'utf8');
    assert.match(src, /export const VENDOR = 'askllm';/);
    assert.match(fs.readFileSync(path.join(root(), 'src/host/participant.ts'), 'utf8'), /export const PARTICIPANT_ID = 'askllm\.ask';/);
  });

  it('the walkthrough: five steps whose media exist, whose links run contributed commands, and that opens nothing by itself', () => {
    const c = pkg().contributes;
    const commands = new Set<string>(c.commands.map((x: { command: string }) => x.command));
    assert.ok(commands.has('askLlm.testProvider') && commands.has('askLlm.openWalkthrough'));
    const [w] = c.walkthroughs;
    assert.deepEqual(w.steps.map((s: { id: string }) => s.id), ['pickProvider', 'setKey', 'testProvider', 'askInDocument', 'openChat']);
    for (const step of w.steps as Array<{ id: string; description: string; media: Record<string, string>; completionEvents: string[] }>) {
      const file = nls(step.media.markdown ?? step.media.svg ?? step.media.image);
      assert.ok(file && fs.existsSync(path.join(root(), file)), `${step.id}: ${file}`);
      if (!step.media.markdown) assert.ok(step.media.altText, `${step.id}: altText`);
      const links = [...nls(step.description).matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(links.length > 0, `${step.id} has a button`);
      for (const id of links) assert.ok(commands.has(id) || id.startsWith('workbench.'), `${step.id}: ${id}`);
      for (const ev of step.completionEvents) {
        const cmd = /^onCommand:(.+)$/.exec(ev)?.[1];
        if (cmd) assert.ok(commands.has(cmd), `${step.id}: ${ev}`);
      }
    }
    // VS Code opens a new extension's walkthrough on install when its `when` holds then: it holds
    // only once the extension sets the key, later (src/host/vscodeIntegration.ts).
    const key = /^[\w.]+$/.exec(w.when)?.[0];
    assert.ok(key, `when: ${w.when}`);
    const src = fs.readFileSync(path.join(root(), 'src/host/vscodeIntegration.ts'), 'utf8');
    assert.match(src, new RegExp(`WALKTHROUGH_KEY = '${key.replace(/\./g, '\\.')}'`));
    assert.match(src, /setTimeout\(showWalkthrough, WALKTHROUGH_DELAY_MS\)/);
    assert.doesNotMatch(fs.readFileSync(path.join(root(), 'src/extension.ts'), 'utf8'), /openWalkthrough/);
  });
});
