// One list of provider kinds (core/types.ts PROVIDER_KINDS): everything else that names kinds is
// derived from it (the type, validation, the adapter table) or checked against it here.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { presets } from '../../src/core/presets';
import { parseProfiles } from '../../src/core/profiles';
import { PROVIDER_KINDS } from '../../src/core/types';
import { adapterFor } from '../../src/providers';

function packageJson(): { contributes: { configuration: { properties: Record<string, { items?: { properties: { kind: { enum: string[] } } } }> } } } {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

describe('one list of provider kinds', () => {
  it('package.json offers exactly these kinds in the Settings UI', () => {
    const enumKinds = packageJson().contributes.configuration.properties['askLlm.providers'].items!.properties.kind.enum;
    assert.deepEqual([...enumKinds].sort(), [...PROVIDER_KINDS].sort());
  });

  it('"Add provider…" has a preset for every kind, and only for known kinds', () => {
    const covered = new Set(presets().map((p) => p.kind));
    assert.deepEqual([...covered].sort(), [...PROVIDER_KINDS].sort());
  });

  it('every preset is a profile that validates once its blanks are filled', () => {
    const filled = presets().map((p) => ({ id: p.id, kind: p.kind, model: p.model || 'm', ...(p.kind === 'sse' ? { url: p.baseUrl } : p.baseUrl ? { baseUrl: p.baseUrl === 'https://' ? 'https://x' : p.baseUrl } : {}), ...p.extra }));
    assert.deepEqual(parseProfiles(filled).errors, []);
  });

  it('validation accepts each kind and names them all when the kind is wrong', () => {
    for (const kind of PROVIDER_KINDS) {
      const r = parseProfiles([{ id: 'a', kind, model: 'm', baseUrl: 'https://x', url: 'https://x' }]);
      assert.deepEqual(r.errors, [], kind);
    }
    const bad = parseProfiles([{ id: 'a', kind: 'openia', model: 'm' }]);
    assert.equal(bad.ok, false);
    for (const kind of PROVIDER_KINDS) assert.ok(bad.errors[0].includes(kind));
  });

  it('every kind but vscode-lm (registered by the host) has an adapter that loads', async () => {
    for (const kind of PROVIDER_KINDS) {
      const loading = adapterFor(kind);
      if (kind === 'vscode-lm') {
        assert.equal(loading, undefined);
        continue;
      }
      assert.equal(typeof (await loading!).stream, 'function', kind);
    }
  });
});
