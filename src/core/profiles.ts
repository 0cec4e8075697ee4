// Provider profiles from unknown JSON (the user's settings): validated, never thrown at.
import { PROVIDER_KINDS, type ProviderKind, type ProviderProfile } from './types';


export const DEFAULT_BASE_URLS: Partial<Record<ProviderKind, string>> = {
  openai: 'https://api.openai.com/v1',
  'openai-completions': 'https://api.openai.com/v1',
  'openai-responses': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  ollama: 'http://127.0.0.1:11434',
  dashscope: 'https://dashscope.aliyuncs.com',
  ernie: 'https://aip.baidubce.com',
  gemini: 'https://generativelanguage.googleapis.com',
};

export type ParseResult = { ok: true; profiles: ProviderProfile[]; errors: string[] } | { ok: false; profiles: ProviderProfile[]; errors: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates `askLlm.providers`. Bad entries are left out and described in `errors` (the good ones
 * still work); `ok` is false when anything was wrong.
 */
export function parseProfiles(raw: unknown): ParseResult {
  const errors: string[] = [];
  const profiles: ProviderProfile[] = [];
  if (raw === undefined || raw === null) return { ok: true, profiles, errors };
  if (!Array.isArray(raw)) return { ok: false, profiles, errors: ['askLlm.providers must be an array of profiles'] };
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const where = `askLlm.providers[${i}]`;
    if (!isRecord(item)) {
      errors.push(`${where} is not an object`);
      return;
    }
    const problems: string[] = [];
    const str = (key: string, required = false): string | undefined => {
      const v = item[key];
      if (v === undefined || v === null || v === '') {
        if (required) problems.push(`"${key}" is required`);
        return undefined;
      }
      if (typeof v !== 'string') {
        problems.push(`"${key}" must be a string`);
        return undefined;
      }
      return v.trim();
    };
    const id = str('id', true);
    const kind = str('kind', true) as ProviderKind | undefined;
    if (kind && !(PROVIDER_KINDS as readonly string[]).includes(kind)) problems.push(`"kind" must be one of ${PROVIDER_KINDS.join(', ')}`);
    const model = str('model', kind !== 'vscode-lm') ?? '';
    const baseUrl = str('baseUrl');
    if (baseUrl && !/^https?:\/\/[^/]/i.test(baseUrl)) problems.push(`"baseUrl" must start with http:// or https:// (got "${baseUrl}")`);
    const url = str('url');
    if (kind === 'sse' && !url) problems.push('"url" is required for kind "sse"');
    if (kind === 'azure-openai' && !baseUrl) problems.push('"baseUrl" (https://RESOURCE.openai.azure.com) is required for kind "azure-openai"');
    const bool = (key: string): boolean | undefined => {
      const v = item[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'boolean') problems.push(`"${key}" must be true or false`);
      return typeof v === 'boolean' ? v : undefined;
    };
    const headers = item.headers;
    if (headers !== undefined && !(isRecord(headers) && Object.values(headers).every((h) => typeof h === 'string'))) {
      problems.push('"headers" must be an object of strings');
    }
    const params = item.params;
    if (params !== undefined && !isRecord(params)) problems.push('"params" must be an object');
    const maxRetries = item.maxRetries;
    if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && (maxRetries as number) >= 0 && (maxRetries as number) <= 10)) {
      problems.push('"maxRetries" must be a whole number from 0 to 10');
    }
    const timeouts = item.timeouts;
    let parsedTimeouts: ProviderProfile['timeouts'];
    if (timeouts !== undefined) {
      if (!isRecord(timeouts)) problems.push('"timeouts" must be an object with connectMs and/or idleMs');
      else {
        parsedTimeouts = {};
        for (const k of ['connectMs', 'idleMs'] as const) {
          const v = timeouts[k];
          if (v === undefined) continue;
          if (typeof v !== 'number' || !(v > 0)) problems.push(`"timeouts.${k}" must be a positive number of milliseconds`);
          else parsedTimeouts[k] = v;
        }
      }
    }
    if (id && seen.has(id)) problems.push(`the id "${id}" is used twice`);
    const continuation = item.continuation;
    if (continuation !== undefined && continuation !== 'native' && continuation !== 'instruction') problems.push('"continuation" must be "native" or "instruction"');
    if (problems.length) {
      errors.push(`${where}${id ? ` ("${id}")` : ''}: ${problems.join('; ')}`);
      return;
    }
    seen.add(id!);
    const profile: ProviderProfile = { id: id!, kind: kind!, model };
    const label = str('label');
    if (label) profile.label = label;
    if (baseUrl) profile.baseUrl = baseUrl.replace(/\/+$/, '');
    for (const key of ['apiKeyEnv', 'secretKeyEnv', 'apiVersion', 'textPath', 'doneWhen'] as const) {
      const v = str(key);
      if (v) profile[key] = v;
    }
    if (url) profile.url = url;
    if (isRecord(headers)) profile.headers = headers as Record<string, string>;
    if (isRecord(params)) profile.params = params;
    const stream = bool('stream');
    if (stream !== undefined) profile.stream = stream;
    const streamUsage = bool('streamUsage');
    if (streamUsage !== undefined) profile.streamUsage = streamUsage;
    const cumulative = bool('cumulative');
    if (cumulative !== undefined) profile.cumulative = cumulative;
    if (typeof maxRetries === 'number') profile.maxRetries = maxRetries;
    if (continuation === 'native' || continuation === 'instruction') profile.continuation = continuation;
    if (parsedTimeouts) profile.timeouts = parsedTimeouts;
    if (item.body !== undefined) profile.body = item.body;
    profiles.push(profile);
  });
  return { ok: errors.length === 0, profiles, errors };
}

/** The base URL a request goes to: the profile's own, else the kind's default. */
export function baseUrlOf(profile: ProviderProfile): string {
  return (profile.baseUrl ?? DEFAULT_BASE_URLS[profile.kind] ?? '').replace(/\/+$/, '');
}

export function labelOf(profile: ProviderProfile): string {
  return profile.label ?? profile.id;
}

/** True for a URL on this machine or the local network (a local Ollama, vLLM or LM Studio), where servers rarely ask for a key. */
export function isLocalUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host === '::1' || host === '0.0.0.0') return true;
  const ip = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!ip) return false;
  const [a, b] = [Number(ip[1]), Number(ip[2])];
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

/** Headers a gateway profile may carry its credentials in: then no key of ours is needed. */
const AUTH_HEADERS = new Set(['authorization', 'api-key', 'x-api-key', 'x-goog-api-key']);

/**
 * The key a request with this profile lacks, if any, so a surface can say so before sending.
 * No key is needed for `ollama`, `sse` and `vscode-lm`, for a base URL on this machine or the
 * local network, or when the profile's `headers` carry credentials; ERNIE always needs both keys.
 */
export function missingKey(profile: ProviderProfile, keys: { apiKey?: string; secretKey?: string }): 'apiKey' | 'secretKey' | undefined {
  if (profile.kind === 'ernie') return !keys.apiKey ? 'apiKey' : !keys.secretKey ? 'secretKey' : undefined;
  if (keys.apiKey || profile.kind === 'ollama' || profile.kind === 'sse' || profile.kind === 'vscode-lm') return undefined;
  if (Object.keys(profile.headers ?? {}).some((h) => AUTH_HEADERS.has(h.toLowerCase()))) return undefined;
  return isLocalUrl(baseUrlOf(profile)) ? undefined : 'apiKey';
}
