// The `dashscope` kind: Alibaba DashScope's native text-generation API (Qwen), SSE with
// `X-DashScope-SSE: enable`. We ask for incremental output, and still give correct deltas when
// the stream repeats the whole text so far (incremental_output: false, or a server ignoring it).
import { errorFromHttp, errorInStream } from '../core/errors';
import { baseUrlOf } from '../core/profiles';
import type { AdapterRequest, LlmEvent, ProviderAdapter, Usage } from '../core/types';
import { DeltaTracker } from './cumulative';
import type { AttemptControl } from './http';
import { normalizeFinishReason, normalizeUsage } from './normalize';
import { eventJson, runHttpAttempt, sseEvents } from './wire';

interface DashScopeChunk {
  output?: {
    text?: string;
    finish_reason?: string | null;
    choices?: Array<{ message?: { content?: string; reasoning_content?: string }; finish_reason?: string | null }>;
  };
  usage?: Record<string, unknown>;
  code?: string;
  message?: string;
}

/** DashScope writes "null" (a string) while generating. */
const finished = (r: string | null | undefined): r is string => !!r && r !== 'null';

export class DashScopeAdapter implements ProviderAdapter {
  stream(req: AdapterRequest): AsyncIterable<LlmEvent> {
    const streaming = req.profile.stream !== false;
    const params = { ...req.profile.params, ...req.params };
    const incremental = params.incremental_output !== false;
    const parameters: Record<string, unknown> = { result_format: 'message', ...params };
    if (streaming) parameters.incremental_output = incremental;
    else delete parameters.incremental_output;
    const headers: Record<string, string> = { authorization: `Bearer ${req.apiKey ?? ''}` };
    if (streaming) Object.assign(headers, { 'x-dashscope-sse': 'enable', accept: 'text/event-stream' });
    return runHttpAttempt(
      req,
      {
        url: `${baseUrlOf(req.profile)}/api/v1/services/aigc/text-generation/generation`,
        headers,
        // Continue: the trailing assistant message is a prefix DashScope carries on (partial mode).
        body: { model: req.model, input: { messages: req.continuation ? req.messages.map((m, i) => (i === req.messages.length - 1 ? { ...m, partial: true } : m)) : req.messages }, parameters },
      },
      (response, ctl) => (streaming ? this.read(response, incremental, ctl) : this.readWhole(response)),
    );
  }

  private async *read(response: Response, incremental: boolean, ctl: AttemptControl): AsyncGenerator<LlmEvent> {
    const text = new DeltaTracker(incremental ? 'auto' : 'cumulative');
    const reasoning = new DeltaTracker(incremental ? 'auto' : 'cumulative');
    let status = 200;
    let usage: Usage | undefined;
    // The error event may have no blank line after it: flush it at end of file.
    const events = sseEvents(response.body!, {
      flushAtEof: true,
      onComment: (c) => {
        const m = /^HTTP_STATUS\/(\d{3})/.exec(c.trim());
        if (m) status = Number(m[1]);
      },
    });
    for await (const ev of events) {
      const chunk = eventJson(ev.data) as DashScopeChunk | undefined;
      if (!chunk) continue;
      if (ev.event === 'error' || (chunk.code && !chunk.output)) {
        return yield { type: 'error', error: errorFromHttp(status >= 400 ? status : 200, chunk) };
      }
      usage = normalizeUsage(chunk.usage) ?? usage;
      ctl.usage = usage;
      const choice = chunk.output?.choices?.[0];
      const r = reasoning.next(choice?.message?.reasoning_content);
      if (r) yield { type: 'reasoning', text: r };
      const t = text.next(choice ? choice.message?.content : chunk.output?.text);
      if (t) yield { type: 'text', text: t };
      const reason = choice?.finish_reason ?? chunk.output?.finish_reason;
      if (finished(reason)) {
        if (usage) yield { type: 'usage', ...usage };
        return yield { type: 'end', finishReason: normalizeFinishReason(reason), nativeFinishReason: reason };
      }
    }
  }

  private async *readWhole(response: Response): AsyncGenerator<LlmEvent> {
    const chunk = (await response.json()) as DashScopeChunk;
    if (chunk.code && !chunk.output) return yield { type: 'error', error: errorInStream(chunk) };
    const choice = chunk.output?.choices?.[0];
    if (choice?.message?.reasoning_content) yield { type: 'reasoning', text: choice.message.reasoning_content };
    const text = choice ? choice.message?.content : chunk.output?.text;
    if (text) yield { type: 'text', text };
    const usage = normalizeUsage(chunk.usage);
    if (usage) yield { type: 'usage', ...usage };
    const reason = choice?.finish_reason ?? chunk.output?.finish_reason ?? 'stop';
    yield { type: 'end', finishReason: normalizeFinishReason(reason), nativeFinishReason: reason };
  }
}
