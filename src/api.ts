// The public API returned by activate(), in the spirit of LangChain's Runnable. Every surface of
// the extension (the ask command, the chat view) goes through `streamEvents` too.
import { Answer, foldAnswer, type Outcome } from './core/answer';
import { brokenKeyError, configError, internalError, LlmError, missingKeyError, noProfileError, redactSecrets, safeOrigin } from './core/errors';
import { baseUrlOf, invalidProfileError, missingKey, proxyFor } from './core/profiles';
import type { AnswerRecording, FlightRecorder } from './core/flightRecorder';
import { l10n } from './core/l10n';
import { withRetries } from './core/retry';
import type { CallOptions, ChatMessage, LlmErrorInfo, LlmEvent, Prompt, ProviderProfile } from './core/types';
import { adapterFor } from './providers';

export interface ApiDeps {
  /** The validated profiles, read fresh on every call (settings may change). */
  profiles(): ProviderProfile[];
  /** The active profile id from settings, if any. */
  activeProfileId(): string | undefined;
  /** Why the profile with this id is invalid (it is in the settings but was left out), if it is. */
  profileProblem?(id: string): string | undefined;
  /** API key (and ERNIE's secret key) for a profile: SecretStorage, then its apiKeyEnv. */
  keysFor(profile: ProviderProfile): Promise<{ apiKey?: string; secretKey?: string }>;
  /** The default system prompt (settings), used when neither the call nor the profile names one. */
  systemPrompt?(): string | undefined;
  fetch?: typeof fetch;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Base of the retry backoff (tests shorten it). */
  retryBaseMs?: number;
  /** Keeps the last answers' raw responses, cleaned of keys ("Save Last Stream…"). */
  recorder?: FlightRecorder;
}

export interface AskLlmApi {
  /** The whole answer as a string. Rejects with an LlmError (`.info`, `.partialText`) on failure or cancel. */
  invoke(prompt: Prompt, opts?: CallOptions): Promise<string>;
  /** Text deltas as they arrive. Throws an LlmError after the partial text on failure; ends quietly on cancel. */
  stream(prompt: Prompt, opts?: CallOptions): AsyncIterable<string>;
  /** Every event: `start`, content, `usage`, then exactly one `end` or `error`. Never throws. */
  streamEvents(prompt: Prompt, opts?: CallOptions): AsyncIterable<LlmEvent>;
  /** `invoke` for each prompt, at most 4 at a time, answers in order. */
  batch(prompts: Prompt[], opts?: CallOptions): Promise<string[]>;
}

let requestCounter = 0;

type ProfileDeps = Pick<ApiDeps, 'profiles' | 'activeProfileId' | 'profileProblem'>;

/**
 * The profile a call uses: the one named, else the active one, else the first. An active profile
 * that is invalid is not quietly replaced by another: nothing answers, and `profileError` says why.
 */
export function resolveProfile(deps: ProfileDeps, id?: string): ProviderProfile | undefined {
  const all = deps.profiles();
  if (id) return all.find((p) => p.id === id);
  const active = deps.activeProfileId();
  const found = all.find((p) => p.id === active);
  if (!found && active && deps.profileProblem?.(active)) return undefined;
  return found ?? all[0];
}

/** Why `resolveProfile` found nothing: the profile is invalid (and how), missing, or none is configured. */
export function profileError(deps: ProfileDeps, id?: string): LlmErrorInfo {
  const wanted = id ?? deps.activeProfileId();
  const problem = wanted ? deps.profileProblem?.(wanted) : undefined;
  return problem ? invalidProfileError(wanted!, problem) : noProfileError(id);
}

export function toMessages(prompt: Prompt, system?: string): ChatMessage[] {
  const messages: ChatMessage[] = typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : [...prompt];
  if (system && !messages.some((m) => m.role === 'system')) messages.unshift({ role: 'system', content: system });
  return messages;
}

export function createApi(deps: ApiDeps): AskLlmApi {
  const say = deps.log ?? (() => undefined);

  async function* streamEvents(prompt: Prompt, opts: CallOptions = {}): AsyncGenerator<LlmEvent> {
    const id = ++requestCounter;
    const profile = resolveProfile(deps, opts.provider);
    // Whatever leaves this call (log lines, error messages) is cleaned of this call's secrets: a
    // server may echo a key in its error body, an SDK may quote a header in its exception.
    const secrets: Array<string | undefined> = [proxyPassword(profile?.proxy)];
    const log = (level: 'info' | 'warn' | 'error', message: string) => say(level, redactSecrets(message, secrets));
    const clean = (ev: LlmEvent): LlmEvent => (ev.type === 'error' ? { ...ev, error: { ...ev.error, message: redactSecrets(ev.error.message, secrets) } } : ev);
    if (!profile) {
      const error = profileError(deps, opts.provider);
      log('warn', `#${id} ${error.message}`);
      return yield { type: 'error', error };
    }
    const loading = adapterFor(profile.kind);
    if (!loading) {
      const error = configError('badRequest', l10n.t('Provider kind "{0}" (profile "{1}") is not supported by this version of Ask LLM.', profile.kind, profile.id));
      log('warn', `#${id} ${error.message}`);
      return yield { type: 'error', error };
    }
    const caller = opts.signal ?? new AbortController().signal;
    const model = opts.model ?? profile.model;
    // The call's own system prompt, else the profile's, else the one in settings.
    const messages = toMessages(prompt, opts.system ?? profile.systemPrompt ?? deps.systemPrompt?.());
    // The log line at the end comes from the same reducer every surface folds with; the surfaces
    // keep the text, so this one only counts it.
    const answer = new Answer(Date.now, Date.now(), false);
    const target = profile.kind === 'sse' ? profile.url ?? '' : baseUrlOf(profile);
    const proxy = proxyFor(target, profile);
    log('info', `#${id} → ${profile.id} (${profile.kind}) ${model} at ${safeOrigin(target)}${proxy ? ` through the proxy ${safeOrigin(proxy).replace(/\/$/, '')}` : ''}, ${messages.length} message(s)`);
    let recording: AnswerRecording | undefined;
    try {
      const [adapter, stored] = await Promise.all([loading, deps.keysFor(profile)]);
      secrets.push(stored.apiKey, stored.secretKey);
      // White space around a key is never part of it (a pasted key, a .env file with CRLF lines).
      const keys = { apiKey: stored.apiKey?.trim() || undefined, secretKey: stored.secretKey?.trim() || undefined };
      // Without a key the provider's 401 would name a key the user never typed: say so before sending.
      const lacking = missingKey(profile, keys);
      if (lacking) {
        const error = missingKeyError(profile, lacking);
        log('warn', `#${id} ✗ auth: ${error.message}`);
        return yield { type: 'error', error };
      }
      // A control character inside a key cannot go in a header; fetch (or the SDK) would say so quoting the key.
      const broken = (['apiKey', 'secretKey'] as const).find((k) => /[\u0000-\u001f\u007f]/.test(keys[k] ?? ''));
      if (broken) {
        const error = brokenKeyError(profile, broken);
        log('warn', `#${id} ✗ auth: ${error.message}`);
        return yield { type: 'error', error };
      }
      recording = deps.recorder?.begin(profile, model, messages);
      recording?.addSecrets(secrets);
      const recorder = recording?.exchanges;
      const events = withRetries(
        () => adapter.stream({ profile, model, messages, params: opts.params, apiKey: keys.apiKey, secretKey: keys.secretKey, signal: caller, fetch: deps.fetch, continuation: opts.continuation, recorder }),
        {
          maxRetries: profile.maxRetries ?? 2,
          signal: caller,
          baseDelayMs: deps.retryBaseMs,
          onRetry: (n, ms, why) => log('warn', `#${id} retry ${n} in ${ms} ms: ${why}`),
        },
      );
      for await (const raw of events) {
        const ev = clean(raw);
        answer.apply(ev);
        recording?.event(ev);
        if (ev.type === 'end' || ev.type === 'error') log(ev.type === 'end' ? 'info' : 'error', `#${id} ${describeOutcome(answer.outcome(), answer.chars)}`);
        yield ev;
      }
    } catch (err) {
      // Adapters report failures as events; anything thrown here is a bug, still shown as an error.
      log('error', `#${id} ✗ internal: ${err instanceof Error ? err.stack : String(err)}`);
      yield clean({ type: 'error', error: internalError(err) });
    } finally {
      recording?.end();
    }
  }

  async function* stream(prompt: Prompt, opts: CallOptions = {}): AsyncGenerator<string> {
    const answer = new Answer();
    for await (const ev of streamEvents(prompt, opts)) {
      answer.apply(ev);
      if (ev.type === 'text') yield ev.text;
      else if (ev.type === 'error') throw new LlmError(ev.error, answer.text);
    }
  }

  async function invoke(prompt: Prompt, opts: CallOptions = {}): Promise<string> {
    const outcome = await foldAnswer(streamEvents(prompt, opts), []);
    if (outcome.error) throw new LlmError(outcome.error, outcome.text);
    if (outcome.finishReason === 'cancelled') {
      throw Object.assign(new LlmError({ kind: 'unknown', message: l10n.t('The request was cancelled.'), retryable: false }, outcome.text), { name: 'AbortError' });
    }
    return outcome.text;
  }

  async function batch(prompts: Prompt[], opts: CallOptions = {}): Promise<string[]> {
    const results: string[] = new Array(prompts.length);
    let next = 0;
    const worker = async () => {
      while (next < prompts.length) {
        const i = next++;
        results[i] = await invoke(prompts[i], opts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, prompts.length) }, worker));
    return results;
  }

  return { invoke, stream, streamEvents, batch };
}

/** The password in a proxy URL (`http://user:pass@host`), a secret like the keys. */
function proxyPassword(proxy: string | undefined): string | undefined {
  if (!proxy) return undefined;
  try {
    return decodeURIComponent(new URL(proxy).password) || undefined;
  } catch {
    return undefined;
  }
}

/** One log line for an ended answer: how it ended, time to first token, duration, size, speed. */
export function describeOutcome(o: Outcome, chars = o.text.length): string {
  const t = o.timing;
  const how = o.error
    ? `✗ ${o.error.kind}${o.error.status ? ` ${o.error.status}` : ''}: ${o.error.message}`
    : `← ${o.finishReason}${o.nativeFinishReason ? ` (${o.nativeFinishReason})` : ''}`;
  const speed = t.tokensPerSecond === undefined ? '' : `, ${t.tokensPerSecond.toFixed(1)} tok/s`;
  return `${how}, first token ${t.firstTokenMs === undefined ? 'none' : `${t.firstTokenMs} ms`}, ${t.durationMs} ms, ${chars} chars${o.error ? ' kept' : ''}, ${t.outputTokens}${t.tokensEstimated ? ' deltas' : ' tokens'}${speed}`;
}
