// The `sse` kind: any SSE endpoint (a FastAPI EventSourceResponse service, an in-house gateway).
// The profile gives the URL, a JSON body template, where the text is in each event, whether
// events carry deltas or the whole text so far, and what marks the end.
import { errorFromHttp } from '../core/errors';
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

/**
 * Fills a body template: a string that is exactly "{{messages}}" becomes the messages array;
 * "{{prompt}}", "{{system}}" and "{{model}}" inside strings become the last user message, the
 * system prompt and the model. Without a template: `{ model, messages, stream: true }`.
 */
export function fillTemplate(template: unknown, messages: ChatMessage[], model: string): unknown {
  if (template === undefined) return { model, messages, stream: true };
  const prompt = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v === '{{messages}}') return messages;
      return v.replace(/\{\{(prompt|system|model)\}\}/g, (_, k: string) => (k === 'prompt' ? prompt : k === 'system' ? system : model));
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(template);
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
  stream(req: AdapterRequest): AsyncIterable<LlmEvent> {
    const { profile } = req;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (req.apiKey) headers.authorization = `Bearer ${req.apiKey}`;
    return runHttpAttempt(
      req,
      { url: profile.url ?? '', headers, body: fillTemplate(profile.body, req.messages, req.model) },
      (response) => this.read(req, response),
    );
  }

  private async *read(req: AdapterRequest, response: Response): AsyncGenerator<LlmEvent> {
    const { profile } = req;
    const tracker = new DeltaTracker(profile.cumulative ? 'cumulative' : 'delta');
    const textPath = profile.textPath;
    for await (const ev of sseEvents(response.body!)) {
      if (isEmptyPayload(ev.data)) continue;
      const json = tryJson(ev.data);
      if (isDone(profile.doneWhen, ev.event, ev.data, json)) {
        const last = textPath && json !== undefined ? getPath(json, textPath) : undefined;
        const t = typeof last === 'string' ? tracker.next(last) : '';
        if (t) yield { type: 'text', text: t };
        return yield { type: 'end', finishReason: 'stop' };
      }
      if (ev.event === 'error' || (json && typeof json === 'object' && 'error' in json && !textPath?.startsWith('error'))) {
        return yield { type: 'error', error: errorFromHttp(200, json ?? ev.data) };
      }
      // Without a JSON path the whole payload is the text (plain-text SSE services).
      const value = textPath ? getPath(json, textPath) : json === undefined || typeof json === 'string' ? (typeof json === 'string' ? json : ev.data) : undefined;
      const t = tracker.next(typeof value === 'string' ? value : undefined);
      if (t) yield { type: 'text', text: t };
    }
    // No end marker configured: the stream closing is the end.
    if (!profile.doneWhen) yield { type: 'end', finishReason: 'stop' };
  }
}
