// The hostile-output corpus (test/fixtures/hostile): answers a model could write to escape the
// chat view, each with what the chat must still show of it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface HostilePayload {
  name: string;
  /** The whole answer. */
  text: string;
  /** Text that must be visible (whitespace runs compared as one space). */
  show: string[];
  /** URLs that must be links. */
  links?: string[];
  /** No link at all may be made of it. */
  noLinks?: boolean;
  /** At least this many characters must be visible (text nested past the renderer's limit included). */
  minShown?: number;
}

/** test/fixtures/hostile, found by walking up (this runs from test/support and from dist/test/support). */
export function hostileDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'test', 'fixtures', 'hostile');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find test/fixtures/hostile above ${__dirname}`);
}

/** Every payload of the corpus, in the index's order. */
export function hostileCorpus(): HostilePayload[] {
  const dir = hostileDir();
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { payloads: Array<Omit<HostilePayload, 'text'>> };
  return index.payloads.map((p) => ({ ...p, text: fs.readFileSync(path.join(dir, `${p.name}.md`), 'utf8') }));
}

/** One payload by name (the fixture server's /hostile route). */
export function hostilePayload(name: string): HostilePayload | undefined {
  return hostileCorpus().find((p) => p.name === name);
}

/** Text as compared with `show`: whitespace runs (line breaks, no-break spaces) as one space. */
export const flat = (s: string): string => s.replace(/[\s\u00a0]+/g, ' ');

/** `text` in pieces of 1 to `max` characters, the same pieces for the same seed. */
export function pieces(text: string, seed: number, max: number): string[] {
  const out: string[] = [];
  let s = seed;
  for (let i = 0; i < text.length;) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const n = 1 + (s % max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** How a test streams a payload: every tag and link split somewhere, long ones in fewer, larger pieces. */
export function streamPieces(text: string, seed: number): string[] {
  return pieces(text, seed, text.length > 4000 ? 1597 : 7);
}
