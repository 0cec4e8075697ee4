// The `sse` kind: any SSE endpoint (a FastAPI EventSourceResponse service, an in-house gateway).
// The profile gives the URL, a JSON body template, where the text is in each event, whether
// events carry deltas or the whole text so far, and what marks the end.
import { configError, errorFromHttp, invalidEventError, LlmError } from '../core/errors';
import { l10n } from '../core/l10n';
import { isEmptyPayload } from '../core/sse';
import type { AdapterRequest, ChatMessage, LlmEvent, ProviderAdapter } from '../core/types';
import { DeltaTracker } from './cumulative';
import { runHttpAttempt, sseEvents, tryJson } from './wire';

/** Reads `a.b.0.c` from a JSON value. */
export function getPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const PLACEHOLDER = /\{\{(messages|prompt|system|model)\}\}/g;

/**
 * Fills a body template, in either form the profile may give it. A JSON value: a string that is
 * exactly "{{messages}}" becomes the messages array; "{{prompt}}", "{{system}}", "{{model}}" (and
 * "{{messages}}" as JSON text) inside strings become the last user message, the system prompt and
 * the model. A string: JSON text in which each placeholder stands for its JSON value
 * (`{"messages": {{messages}}, "q": {{prompt}}}`), or its escaped text inside a JSON string; the
 * result is parsed, so text that is not JSON once filled throws a SyntaxError. Without a template:
 * `{ model, messages, stream: true }`.
 */
export function fillTemplate(template: unknown, messages: ChatMessage[], model: string): unknown {
  if (template === undefined) return { model, messages, stream: true };
  const values: Record<string, unknown> = {
    messages,
    prompt: [...messages].reverse().find((m) => m.role === 'user')?.content ?? '',
    system: messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n'),
    model,
  };
  const asText = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : JSON.stringify(values[k]));
  if (typeof template === 'string') return JSON.parse(fillJsonText(template, values, asText));
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v === '{{messages}}' ? messages : v.replace(PLACEHOLDER, (_, k: string) => asText(k));
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(template);
}

/** JSON text with each placeholder replaced: by its JSON value, or inside a string literal by its escaped text. */
function fillJsonText(text: string, values: Record<string, unknown>, asText: (k: string) => string): string {
  let out = '';
  let inString = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString && c === '\\') i++; // an escaped character, a quote included
    else if (c === '"') inString = !inString;
    else if (c === '{' && text[i + 1] === '{') {
      const m = new RegExp(PLACEHOLDER.source, 'y');
      m.lastIndex = i;
      const found = m.exec(text);
      if (!found) continue;
      const key = found[1];
      out += text.slice(from, i) + (inString ? JSON.stringify(asText(key)).slice(1, -1) : JSON.stringify(values[key]));
      i += found[0].length - 1;
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

/** A value at `textPath` as text: a string as it is, a number or boolean in its JSON spelling. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? JSON.stringify(value) : undefined;
}

/**
 * `doneWhen`: `[DONE]` (a payload equal to it), `event:NAME` (an SSE event name), `PATH=VALUE`
 * (a JSON field equal to VALUE, compared as text), or `PATH` (a truthy JSON field). Without it,
 * the end of the stream is the end of the answer.
 */
export function isDone(doneWhen: string | undefined, event: string, data: string, json: unknown): boolean {
  if (!doneWhen) return false;
  if (doneWhen.startsWith('event:')) return event === doneWhen.slice(6).trim();
  const eq = doneWhen.indexOf('=');
  const path = eq > 0 ? doneWhen.slice(0, eq).trim() : doneWhen;
  if (/^[\w.]+$/.test(path) && json !== null && typeof json === 'object') {
    return eq > 0 ? String(getPath(json, path)) === doneWhen.slice(eq + 1).trim() : !!getPath(json, path);
  }
  return data.trim() === doneWhen;
}

export class GenericSseAdapter implements ProviderAdapter {
  async *stream(req: AdapterRequest): AsyncGenerator<LlmEvent> {
    const { profile } = req;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (req.apiKey) headers.authorization = `Bearer ${req.apiKey}`;
    let body: unknown;
    try {
      body = fillTemplate(profile.body, req.messages, req.model);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      return yield { type: 'error', error: configError('badRequest', l10n.t('The "body" of profile "{0}" is not valid JSON text once its placeholders are filled in ({1}). Write it as a JSON value, or as JSON text with placeholders where values go: {"q": {{prompt}}}.', profile.id, detail)) };
    }
    yield* runHttpAttempt(req, { url: profile.url ?? '', headers, body }, (response) => this.read(req, response));
  }

  private async *read(req: AdapterRequest, response: Response): AsyncGenerator<LlmEvent> {
    const { profile } = req;
    const tracker = new DeltaTracker(profile.cumulative ? 'cumulative' : 'delta');
    const textPath = profile.textPath;
    // A named end event may come with no data line at all (sse-starlette's `{"event": "end"}`).
    for await (const ev of sseEvents(response.body!, { namedWithoutData: true })) {
      const json = tryJson(ev.data);
      if (isDone(profile.doneWhen, ev.event, ev.data, json)) {
        const t = textPath && json !== undefined ? tracker.next(textOf(getPath(json, textPath))) : '';
        if (t) yield { type: 'text', text: t };
        return yield { type: 'end', finishReason: 'stop' };
      }
      if (ev.event === 'error' || (json && typeof json === 'object' && 'error' in json && !textPath?.startsWith('error'))) {
        return yield { type: 'error', error: errorFromHttp(200, json ?? (ev.data || l10n.t('The server sent an error event.'))) };
      }
      if (isEmptyPayload(ev.data)) continue;
      // With a JSON path the service sends JSON: one that is cut or garbled would drop its text unseen.
      if (textPath && json === undefined && /^\s*[{[]/.test(ev.data) && ev.data.trim() !== '[DONE]') throw new LlmError(invalidEventError(ev.data));
      // Without a JSON path the payload itself is the text (a JSON string payload decoded).
      const t = tracker.next(textPath ? textOf(getPath(json, textPath)) : typeof json === 'string' ? json : ev.data);
      if (t) yield { type: 'text', text: t };
    }
    // No end marker configured: the stream closing is the end.
    if (!profile.doneWhen) yield { type: 'end', finishReason: 'stop' };
  }
}
