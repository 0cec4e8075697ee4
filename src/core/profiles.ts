// Provider profiles from unknown JSON (the user's settings): validated, never thrown at.
import { configError } from './errors';
import { l10n } from './l10n';
import { PROVIDER_KINDS, type LlmErrorInfo, type NetworkDefaults, type ProviderKind, type ProviderProfile } from './types';


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
  if (!Array.isArray(raw)) return { ok: false, profiles, errors: [l10n.t('askLlm.providers must be an array of profiles')] };
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const where = `askLlm.providers[${i}]`;
    if (!isRecord(item)) {
      errors.push(l10n.t('{0} is not an object', where));
      return;
    }
    const problems: string[] = [];
    const str = (key: string, required = false): string | undefined => {
      const v = item[key];
      if (v === undefined || v === null || v === '') {
        if (required) problems.push(l10n.t('"{0}" is required', key));
        return undefined;
      }
      if (typeof v !== 'string') {
        problems.push(l10n.t('"{0}" must be a string', key));
        return undefined;
      }
      return v.trim();
    };
    const id = str('id', true);
    const kind = str('kind', true) as ProviderKind | undefined;
    if (kind && !(PROVIDER_KINDS as readonly string[]).includes(kind)) problems.push(l10n.t('"kind" must be one of {0}', PROVIDER_KINDS.join(', ')));
    const model = str('model', kind !== 'vscode-lm') ?? '';
    const baseUrl = str('baseUrl');
    if (baseUrl && !/^https?:\/\/[^/]/i.test(baseUrl)) problems.push(l10n.t('"baseUrl" must start with http:// or https:// (got "{0}")', baseUrl));
    const url = str('url');
    if (kind === 'sse' && !url) problems.push(l10n.t('"url" is required for kind "sse"'));
    if (kind === 'azure-openai' && !baseUrl) problems.push(l10n.t('"baseUrl" (https://RESOURCE.openai.azure.com) is required for kind "azure-openai"'));
    const bool = (key: string): boolean | undefined => {
      const v = item[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'boolean') problems.push(l10n.t('"{0}" must be true or false', key));
      return typeof v === 'boolean' ? v : undefined;
    };
    const headers = item.headers;
    if (headers !== undefined && !(isRecord(headers) && Object.values(headers).every((h) => typeof h === 'string'))) {
      problems.push(l10n.t('"headers" must be an object of strings'));
    }
    const params = item.params;
    if (params !== undefined && !isRecord(params)) problems.push(l10n.t('"params" must be an object'));
    const maxRetries = item.maxRetries;
    if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && (maxRetries as number) >= 0 && (maxRetries as number) <= 10)) {
      problems.push(l10n.t('"maxRetries" must be a whole number from 0 to 10'));
    }
    const timeouts = item.timeouts;
    let parsedTimeouts: ProviderProfile['timeouts'];
    if (timeouts !== undefined) {
      if (!isRecord(timeouts)) problems.push(l10n.t('"timeouts" must be an object with connectMs and/or idleMs'));
      else {
        parsedTimeouts = {};
        for (const k of ['connectMs', 'idleMs'] as const) {
          const v = timeouts[k];
          if (v === undefined) continue;
          if (typeof v !== 'number' || !(v > 0)) problems.push(l10n.t('"timeouts.{0}" must be a positive number of milliseconds', k));
          else parsedTimeouts[k] = v;
        }
      }
    }
    const network = parseNetwork(item, problems);
    if (id && seen.has(id)) problems.push(l10n.t('the id "{0}" is used twice', id));
    const continuation = item.continuation;
    if (continuation !== undefined && continuation !== 'native' && continuation !== 'instruction') problems.push(l10n.t('"continuation" must be "native" or "instruction"'));
    // Read before the verdict below, so a wrong type is reported, not quietly left at its default.
    const stream = bool('stream');
    const streamUsage = bool('streamUsage');
    const cumulative = bool('cumulative');
    const systemPrompt = str('systemPrompt');
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
    if (stream !== undefined) profile.stream = stream;
    if (streamUsage !== undefined) profile.streamUsage = streamUsage;
    if (cumulative !== undefined) profile.cumulative = cumulative;
    if (typeof maxRetries === 'number') profile.maxRetries = maxRetries;
    if (continuation === 'native' || continuation === 'instruction') profile.continuation = continuation;
    if (systemPrompt) profile.systemPrompt = systemPrompt;
    if (parsedTimeouts) profile.timeouts = parsedTimeouts;
    if (item.body !== undefined) profile.body = item.body;
    Object.assign(profile, network);
    profiles.push(profile);
  });
  return { ok: errors.length === 0, profiles, errors };
}

/** An http(s) proxy URL we can use: a scheme, a host, nothing after the port but "/". */
export function isProxyUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && (u.pathname === '/' || u.pathname === '') && !u.search;
  } catch {
    return false;
  }
}

/** `proxy`, `noProxy`, `caFile`, `rejectUnauthorized` of one raw profile; problems go to `problems`. */
function parseNetwork(item: Record<string, unknown>, problems: string[]): Pick<ProviderProfile, 'proxy' | 'noProxy' | 'caFile' | 'rejectUnauthorized'> {
  const out: Pick<ProviderProfile, 'proxy' | 'noProxy' | 'caFile' | 'rejectUnauthorized'> = {};
  const { proxy, noProxy, caFile, rejectUnauthorized } = item;
  if (proxy !== undefined) {
    if (typeof proxy !== 'string') problems.push(l10n.t('"proxy" must be a string: an http:// or https:// URL, or "" for none'));
    else if (proxy.trim() === '') out.proxy = '';
    else if (!isProxyUrl(proxy.trim())) problems.push(l10n.t('"proxy" must be an http:// or https:// URL such as http://user:pass@proxy.example.com:8080 (got "{0}")', withoutPassword(proxy.trim())));
    else out.proxy = proxy.trim();
  }
  if (noProxy !== undefined) {
    const list = typeof noProxy === 'string' ? noProxy.split(',') : noProxy;
    if (!Array.isArray(list) || !list.every((h) => typeof h === 'string')) problems.push(l10n.t('"noProxy" must be a list of host names'));
    else out.noProxy = (list as string[]).map((h) => h.trim()).filter(Boolean);
  }
  if (caFile !== undefined) {
    if (typeof caFile !== 'string' || !caFile.trim()) problems.push(l10n.t('"caFile" must be the path of a PEM file'));
    else if (!/^(\/|~[\\/]|[a-z]:[\\/]|\\\\)/i.test(caFile.trim())) problems.push(l10n.t('"caFile" must be an absolute path (or start with ~/), got "{0}"', caFile));
    else out.caFile = caFile.trim();
  }
  if (rejectUnauthorized !== undefined) {
    if (typeof rejectUnauthorized !== 'boolean') problems.push(l10n.t('"rejectUnauthorized" must be true or false'));
    else out.rejectUnauthorized = rejectUnauthorized;
  }
  return out;
}

/** A URL with its password left out (for messages about a proxy). */
export function withoutPassword(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*):[^@/]*@/, '$1:…@');
}

/**
 * A profile with the host's network defaults (VS Code's `http.proxy`, `http.noProxy`) where it has
 * none of its own. A default proxy that is not http(s) (VS Code also takes socks://) is left to
 * the host's own fetch.
 */
export function withNetworkDefaults(profile: ProviderProfile, defaults: NetworkDefaults | undefined): ProviderProfile {
  if (!defaults) return profile;
  const out = { ...profile };
  const proxy = defaults.proxy?.trim();
  if (out.proxy === undefined && proxy && isProxyUrl(proxy)) out.proxy = proxy;
  if (out.proxy && out.noProxy === undefined && defaults.noProxy?.length) out.noProxy = defaults.noProxy.map((h) => h.trim()).filter(Boolean);
  return out;
}

/**
 * Whether a profile asks for its own network route: a proxy (or `""`, none at all), a CA file, or
 * no certificate checks. Otherwise the host's fetch carries its requests as it will (in VS Code,
 * with the editor's own proxy support).
 */
export function hasNetworkSettings(profile: ProviderProfile): boolean {
  return profile.proxy !== undefined || profile.caFile !== undefined || profile.rejectUnauthorized === false;
}

/** The proxy a request to `url` goes through under this profile, or undefined to go directly. */
export function proxyFor(url: string, profile: Pick<ProviderProfile, 'proxy' | 'noProxy'>): string | undefined {
  if (!profile.proxy) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return profile.proxy;
  }
  const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return (profile.noProxy ?? []).some((entry) => bypasses(entry, host, port)) ? undefined : profile.proxy;
}

/** One noProxy entry against a host (lower case, IPv6 without brackets) and port. */
function bypasses(raw: string, host: string, port: string): boolean {
  let entry = raw.trim().toLowerCase();
  if (!entry) return false;
  if (entry === '*') return true;
  // name:port, [v6]:port, v4:port; a bare IPv6 address has several colons and no port.
  const withPort = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? (entry.split(':').length === 2 ? /^([^:]+):(\d+)$/.exec(entry) : null);
  if (withPort) {
    if (withPort[2] && withPort[2] !== port) return false;
    entry = withPort[1];
  }
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(entry);
  if (cidr) {
    const a = ipv4(cidr[1]);
    const b = ipv4(host);
    const bits = Number(cidr[2]);
    if (a === undefined || b === undefined || bits > 32) return false;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return ((a & mask) >>> 0) === ((b & mask) >>> 0);
  }
  const name = entry.replace(/^\*?\./, '');
  return host === name || host.endsWith(`.${name}`);
}

function ipv4(text: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
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

/** A profile that is in the settings but invalid was asked for: nothing is sent, and the message says what to fix. */
export function invalidProfileError(id: string, problem: string): LlmErrorInfo {
  return configError('badRequest', l10n.t('The provider profile "{0}" in askLlm.providers is invalid, so nothing was sent: {1}. Fix it in the settings (the Settings editor marks the field).', id, problem));
}

/** The parse errors of entries that were left out, by the id they name (entries without one have none). */
export function problemsById(raw: unknown, result: Pick<ParseResult, 'errors' | 'profiles'>): Map<string, string> {
  const { errors, profiles: valid } = result;
  const out = new Map<string, string>();
  if (!Array.isArray(raw)) return out;
  const ok = new Set(valid.map((p) => p.id));
  raw.forEach((item, i) => {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || ok.has(id.trim())) return;
    const where = `askLlm.providers[${i}]`;
    const prefixes = [`${where} ("${id.trim()}"): `, `${where}: `];
    for (const e of errors) {
      const prefix = prefixes.find((x) => e.startsWith(x));
      if (prefix) out.set(id.trim(), e.slice(prefix.length));
    }
  });
  return out;
}
