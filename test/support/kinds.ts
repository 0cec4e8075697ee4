// One recorded answer per HTTP kind, as a profile whose base URL can carry a fault prefix of the
// fixture server (`${server.url}/fx/stall`, or just `${server.url}` for a clean answer). The fault
// tests, the secrets test, the network tests and bench/faults.ts iterate this table; a test fails
// until it names every kind.
import { PROVIDER_KINDS, type ProviderKind, type ProviderProfile } from '../../src/core/types';
import { loadFixture } from './fixtureServer';

export type HttpKind = Exclude<ProviderKind, 'vscode-lm'>;

export interface KindCase {
  fixture: string;
  /** How many events of the recording carry some but not all of its text (for faults after them). */
  partial: number;
  /** The profile of this kind whose requests go to `prefix` + the fixture's route. */
  profile(prefix: string, id?: string): ProviderProfile;
}

// The profile id rides in the path (the routes ignore what follows their own segments), so a test
// finds its own requests among everyone's.
const replay = (fixture: string, tail = '') => (prefix: string, id: string) => `${prefix}/replay/${fixture}/whole/${id}${tail}`;

export const KIND_CASES: Record<HttpKind, KindCase> = {
  openai: { fixture: 'openai-chat-basic.sse', partial: 6, profile: (p, id = 'openai') => ({ id, kind: 'openai', model: 'm', baseUrl: replay('openai-chat-basic.sse', '/v1')(p, id) }) },
  'openai-completions': { fixture: 'openai-completions-basic.sse', partial: 1, profile: (p, id = 'completions') => ({ id, kind: 'openai-completions', model: 'm', baseUrl: replay('openai-completions-basic.sse', '/v1')(p, id) }) },
  'openai-responses': { fixture: 'openai-responses-basic.sse', partial: 13, profile: (p, id = 'responses') => ({ id, kind: 'openai-responses', model: 'm', baseUrl: replay('openai-responses-basic.sse', '/v1')(p, id) }) },
  // azure-basic has its whole text in one event (no partial to keep): Azure speaks OpenAI's chunks, so
  // another OpenAI-shaped recording with several text events stands in (azure-basic has its own tests).
  'azure-openai': { fixture: 'qianfan-v2.sse', partial: 5, profile: (p, id = 'azure') => ({ id, kind: 'azure-openai', model: 'dep', baseUrl: replay('qianfan-v2.sse')(p, id) }) },
  anthropic: { fixture: 'anthropic-basic.sse', partial: 5, profile: (p, id = 'anthropic') => ({ id, kind: 'anthropic', model: 'm', baseUrl: replay('anthropic-basic.sse')(p, id) }) },
  gemini: { fixture: 'gemini-basic.sse', partial: 2, profile: (p, id = 'gemini') => ({ id, kind: 'gemini', model: 'm', baseUrl: replay('gemini-basic.sse')(p, id) }) },
  ollama: { fixture: 'ollama-chat.ndjson', partial: 11, profile: (p, id = 'ollama') => ({ id, kind: 'ollama', model: 'm', baseUrl: replay('ollama-chat.ndjson')(p, id) }) },
  dashscope: { fixture: 'dashscope-incremental.sse', partial: 13, profile: (p, id = 'dashscope') => ({ id, kind: 'dashscope', model: 'm', baseUrl: replay('dashscope-incremental.sse')(p, id) }) },
  ernie: { fixture: 'ernie-v1.sse', partial: 3, profile: (p, id = 'ernie') => ({ id, kind: 'ernie', model: 'completions_pro', baseUrl: `${p}/ernie/ok/ernie-v1.sse/whole/${id}` }) },
  sse: { fixture: 'sse-generic-basic.sse', partial: 2, profile: (p, id = 'sse') => ({ id, kind: 'sse', model: 'm', url: `${replay('sse-generic-basic.sse')(p, id)}/stream`, textPath: 'data.text', doneWhen: 'event:end' }) },
};

export const HTTP_KINDS = Object.keys(KIND_CASES) as HttpKind[];

/** True when the table names exactly the HTTP kinds of PROVIDER_KINDS. */
export function coversEveryKind(): boolean {
  return [...HTTP_KINDS].sort().join() === PROVIDER_KINDS.filter((k) => k !== 'vscode-lm').sort().join();
}

/** The whole text the kind's fixture answers with. */
export function expectedText(kind: HttpKind): string {
  return String(loadFixture(KIND_CASES[kind].fixture).meta.expected?.text ?? '');
}

/** ERNIE's fixture server takes any secret key that starts with "ernie-secret". */
export const ERNIE_SECRET = 'ernie-secret';
