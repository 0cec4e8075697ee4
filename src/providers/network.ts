// Per-profile network routes on undici dispatchers: a proxy (http or https, credentials in its URL
// sent as Proxy-Authorization), hosts that bypass it, and TLS trust (an extra CA file, or no
// certificate checks). A profile without such settings keeps the fetch it was given (in VS Code,
// the editor's, which follows its own proxy settings). undici loads on the first request that
// needs it, so profiles without network settings never pay for it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { LlmError, networkSettingsError, proxyFailure } from '../core/errors';
import { l10n } from '../core/l10n';
import { baseUrlOf, hasNetworkSettings, isLocalUrl, proxyFor, withoutPassword } from '../core/profiles';
import type { ProviderProfile } from '../core/types';

type Undici = typeof import('undici');

let undici: Undici | undefined;

/** undici, loaded on first use (a require, so that the extension bundle can keep it in a file of its own: esbuild.js). */
function loadUndici(): Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (undici ??= require('undici') as Undici);
}

/** Dispatchers by route, the most recently used last; the oldest are closed beyond a few. */
const dispatchers = new Map<string, Dispatcher>();
const KEEP = 8;

interface TlsOptions { ca?: string[]; rejectUnauthorized?: boolean }

/** The fetch a profile's requests go through: `base`, or undici's fetch on the profile's route. */
export function networkFetch(profile: ProviderProfile, base: typeof fetch): typeof fetch {
  if (!hasNetworkSettings(profile)) return base;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const proxy = proxyFor(url, profile);
    const tlsOptions = tlsOptionsOf(profile);
    const u = loadUndici();
    const dispatcher = dispatcherFor(u, proxy, tlsOptions, profile.id);
    try {
      return (await u.fetch(url, { ...(init as object), dispatcher } as Parameters<Undici['fetch']>[1])) as unknown as Response;
    } catch (err) {
      // A failure at the proxy is named as the proxy's, not as the provider's.
      const atProxy = proxy && !init?.signal?.aborted ? proxyFailure(proxy, url, err) : undefined;
      throw atProxy ? new LlmError(atProxy) : err;
    }
  };
}

/** The TLS options of a profile; a CA file is read when it changes. Throws an LlmError when it cannot be read. */
function tlsOptionsOf(profile: ProviderProfile): TlsOptions | undefined {
  const out: TlsOptions = {};
  if (profile.caFile) out.ca = [...tls.rootCertificates, readCa(profile.caFile, profile.id)];
  if (profile.rejectUnauthorized === false) out.rejectUnauthorized = false;
  return out.ca || out.rejectUnauthorized === false ? out : undefined;
}

const caCache = new Map<string, { mtimeMs: number; pem: string }>();

function readCa(file: string, profileId: string): string {
  const path = file.replace(/^~(?=[\\/])/, os.homedir());
  try {
    const { mtimeMs } = fs.statSync(path);
    const cached = caCache.get(path);
    if (cached?.mtimeMs === mtimeMs) return cached.pem;
    const pem = fs.readFileSync(path, 'utf8');
    if (!/-----BEGIN CERTIFICATE-----/.test(pem)) throw new Error(l10n.t('it holds no PEM certificate (-----BEGIN CERTIFICATE-----)'));
    caCache.set(path, { mtimeMs, pem });
    return pem;
  } catch (err) {
    const detail = (err as NodeJS.ErrnoException).code === 'ENOENT' ? l10n.t('no such file') : err instanceof Error ? err.message : String(err);
    throw new LlmError(networkSettingsError(profileId, l10n.t('the caFile "{0}" cannot be read: {1}.', file, detail)));
  }
}

function dispatcherFor(u: Undici, proxy: string | undefined, tlsOptions: TlsOptions | undefined, profileId: string): Dispatcher {
  const key = JSON.stringify([proxy ?? '', tlsOptions?.ca?.[tlsOptions.ca.length - 1] ?? '', tlsOptions?.rejectUnauthorized ?? true]);
  let d = dispatchers.get(key);
  if (d) {
    dispatchers.delete(key); // re-inserted below as the most recently used
  } else {
    try {
      d = proxy
        ? new u.ProxyAgent({ uri: proxy, requestTls: tlsOptions, proxyTls: tlsOptions })
        : new u.Agent({ connect: tlsOptions });
    } catch (err) {
      throw new LlmError(networkSettingsError(profileId, l10n.t('the proxy {0} cannot be used: {1}.', withoutPassword(proxy ?? ''), err instanceof Error ? err.message : String(err))));
    }
  }
  dispatchers.set(key, d);
  for (const [k, old] of dispatchers) {
    if (dispatchers.size <= KEEP) break;
    dispatchers.delete(k);
    void old.close().catch(() => undefined); // lets requests under way finish
  }
  return d;
}

/** At most one warm-up per profile and origin in this time: an idle connection stays open about 4 s (undici's keep-alive). */
const WARM_EVERY_MS = 3000;
const warmedAt = new Map<string, number>();

/**
 * Opens the connection the next request to `profile` will use (the DNS lookup, TCP and TLS
 * handshakes, a proxy's tunnel: 100 ms to a second to a provider across the world) while the user
 * is still typing, so that Enter finds it open. An OPTIONS request to the provider's origin,
 * through the same route and fetch as its requests, with no key, path or body; its answer is ignored.
 * Only for a provider across the network: on this machine or the local network there is nothing to
 * gain (and a local server need not see it). Resolves true when a warm-up went out.
 */
export async function preconnect(profile: ProviderProfile, base: typeof fetch = fetch): Promise<boolean> {
  const url = baseUrlOf(profile);
  if (!/^https?:\/\//i.test(url) || isLocalUrl(url)) return false;
  const origin = new URL(url).origin;
  // Per profile: another profile may reach the same origin by another route (a proxy).
  const key = `${profile.id}\n${origin}`;
  const now = Date.now();
  const last = warmedAt.get(key);
  if (last !== undefined && now - last < WARM_EVERY_MS) return false;
  warmedAt.set(key, now);
  await warm(origin, networkFetch(profile, base));
  return true;
}

async function warm(origin: string, fetcher: typeof fetch): Promise<void> {
  try {
    // OPTIONS, not HEAD: undici closes the connection after a HEAD (for servers that send a body
    // anyway). The body is read to its end (a few bytes; 64 KB at most), or the connection would go with it.
    const res = await fetcher(`${origin}/`, { method: 'OPTIONS', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    const reader = res.body?.getReader();
    for (let size = 0; reader;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > 65_536) {
        await reader.cancel();
        break;
      }
    }
  } catch {
    // Unreachable now: the request itself will say so, in words.
  }
}
