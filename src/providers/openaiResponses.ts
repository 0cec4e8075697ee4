// The `openai-responses` kind: OpenAI's Responses API event stream, POST {baseUrl}/responses.
// Read with our SSE parser rather than the SDK: every event is typed and mapped one by one (the
// `*.done` events and response.completed repeat the full text and are never appended), and the
// error shapes (`event: error` with top-level fields, response.failed) map to our errors here.
import { errorFromHttp } from '../core/errors';
import { l10n } from '../core/l10n';
import { baseUrlOf } from '../core/profiles';
import type { AdapterRequest, LlmEvent, ProviderAdapter } from '../core/types';
import type { AttemptControl } from './http';
import { normalizeUsage } from './normalize';
import { eventJson, runHttpAttempt, sseEvents } from './wire';

interface ResponseObject {
  status?: string;
  incomplete_details?: { reason?: string } | null;
  error?: { code?: string; message?: string } | null;
  usage?: Record<string, unknown>;
  output?: Array<{ type?: string; content?: Array<{ type?: string; text?: string }>; summary?: Array<{ text?: string }>; name?: string; arguments?: string; call_id?: string }>;
}

function* finish(r: ResponseObject): Generator<LlmEvent> {
  const usage = normalizeUsage(r.usage);
  if (usage) yield { type: 'usage', ...usage };
  if (r.status === 'incomplete') {
    const reason = r.incomplete_details?.reason;
    return yield { type: 'end', finishReason: reason === 'content_filter' ? 'contentFilter' : 'length', nativeFinishReason: reason ?? 'incomplete' };
  }
  const calls = (r.output ?? []).some((o) => o.type === 'function_call');
  yield { type: 'end', finishReason: calls ? 'toolCalls' : 'stop', nativeFinishReason: r.status ?? 'completed' };
}

export class OpenAiResponsesAdapter implements ProviderAdapter {
  stream(req: AdapterRequest): AsyncIterable<LlmEvent> {
    const streaming = req.profile.stream !== false;
    const instructions = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
    const input = req.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, content: m.content }));
    return runHttpAttempt(
      req,
      {
        url: `${baseUrlOf(req.profile)}/responses`,
        headers: { authorization: `Bearer ${req.apiKey ?? ''}` },
        body: { model: req.model, input, ...(instructions ? { instructions } : {}), ...req.profile.params, ...req.params, stream: streaming },
      },
      (response, ctl) => (streaming ? this.read(response, ctl) : this.readWhole(response)),
    );
  }

  private async *read(response: Response, ctl: AttemptControl): AsyncGenerator<LlmEvent> {
    let summaryParts = 0;
    /** Function-call arguments streamed so far, by item id: for an output_item.done that leaves them out. */
    const args = new Map<string, string>();
    for await (const ev of sseEvents(response.body!)) {
      const data = eventJson(ev.data) as Record<string, any> | undefined;
      if (!data) continue;
      switch (data.type ?? ev.event) {
        case 'response.output_text.delta':
        case 'response.refusal.delta':
          if (data.delta) yield { type: 'text', text: data.delta };
          break;
        case 'response.reasoning_summary_part.added':
          if (summaryParts++ > 0) yield { type: 'reasoning', text: '\n\n' };
          break;
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          if (data.delta) yield { type: 'reasoning', text: data.delta };
          break;
        case 'response.function_call_arguments.delta':
          args.set(data.item_id, (args.get(data.item_id) ?? '') + (data.delta ?? ''));
          break;
        case 'response.output_item.done':
          if (data.item?.type === 'function_call') yield { type: 'toolCall', id: data.item.call_id, name: data.item.name ?? '', arguments: data.item.arguments ?? args.get(data.item.id) ?? '' };
          break;
        case 'response.completed':
        case 'response.incomplete':
          return yield* finish(data.response ?? {});
        case 'response.failed':
          ctl.usage = normalizeUsage(data.response?.usage);
          return yield { type: 'error', error: errorFromHttp(200, { error: data.response?.error ?? { message: l10n.t('The response failed.') } }) };
        case 'error':
          return yield { type: 'error', error: errorFromHttp(200, { error: data.error ?? { code: data.code, message: data.message } }) };
        default:
          break; // created, in_progress, *.added, *.done: nothing new to show
      }
    }
  }

  private async *readWhole(response: Response): AsyncGenerator<LlmEvent> {
    const r = (await response.json()) as ResponseObject;
    if (r.status === 'failed') return yield { type: 'error', error: errorFromHttp(200, { error: r.error ?? { message: l10n.t('The response failed.') } }) };
    for (const item of r.output ?? []) {
      if (item.type === 'reasoning') {
        const text = (item.summary ?? []).map((s) => s.text ?? '').join('\n\n');
        if (text) yield { type: 'reasoning', text };
      } else if (item.type === 'message') {
        const text = (item.content ?? []).map((c) => c.text ?? '').join('');
        if (text) yield { type: 'text', text };
      } else if (item.type === 'function_call') {
        yield { type: 'toolCall', id: item.call_id, name: item.name ?? '', arguments: item.arguments ?? '' };
      }
    }
    yield* finish(r);
  }
}
