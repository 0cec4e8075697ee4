// The `anthropic` kind: Anthropic Messages streaming. Named SSE events; thinking blocks become
// `reasoning`; tool_use input arrives as pieces of a JSON string, assembled per block; usage in
// message_delta is cumulative (replace, never add); `message_stop` ends; `event: error` after a
// 200 (overloaded_error) is an error.
import { errorInStream } from '../core/errors';
import { baseUrlOf } from '../core/profiles';
import type { AdapterRequest, LlmEvent, ProviderAdapter, Usage } from '../core/types';
import type { AttemptControl } from './http';
import { alternatingTurns, normalizeFinishReason } from './normalize';
import { eventJson, runHttpAttempt, sseEvents } from './wire';

interface Block { type: string; id?: string; name?: string; json: string; input?: unknown }

/** Continue: the last assistant turn is a prefill, which Anthropic refuses with trailing white space. */
function prefilled<T extends { messages: Array<{ role: string; content: string }> }>(body: T, continuation?: boolean): T {
  const last = body.messages[body.messages.length - 1];
  if (!continuation || last?.role !== 'assistant') return body;
  return { ...body, messages: [...body.messages.slice(0, -1), { ...last, content: last.content.trimEnd() }] };
}

export class AnthropicAdapter implements ProviderAdapter {
  stream(req: AdapterRequest): AsyncIterable<LlmEvent> {
    const streaming = req.profile.stream !== false;
    return runHttpAttempt(
      req,
      {
        url: `${baseUrlOf(req.profile)}/v1/messages`,
        headers: { 'x-api-key': req.apiKey ?? '', 'anthropic-version': '2023-06-01' },
        body: { model: req.model, max_tokens: 4096, ...prefilled(alternatingTurns(req.messages), req.continuation), ...req.profile.params, ...req.params, stream: streaming },
      },
      (response, ctl) => (streaming ? this.read(response, ctl) : this.readWhole(response)),
    );
  }

  private async *read(response: Response, ctl: AttemptControl): AsyncGenerator<LlmEvent> {
    const blocks = new Map<number, Block>();
    let input: number | undefined;
    let output: number | undefined;
    let stop: string | undefined;
    const usage = (): Usage | undefined => (input !== undefined || output !== undefined
      ? { inputTokens: input, outputTokens: output, totalTokens: input !== undefined && output !== undefined ? input + output : undefined }
      : undefined);
    for await (const ev of sseEvents(response.body!)) {
      const data = eventJson(ev.data) as Record<string, any> | undefined;
      if (!data) continue;
      switch (data.type ?? ev.event) {
        case 'message_start':
          input = data.message?.usage?.input_tokens ?? input;
          output = data.message?.usage?.output_tokens ?? output;
          ctl.usage = usage(); // the runner delivers it if the stream fails from here on
          break;
        case 'content_block_start':
          blocks.set(data.index, { type: data.content_block?.type, id: data.content_block?.id, name: data.content_block?.name, json: '', input: data.content_block?.input });
          break;
        case 'content_block_delta': {
          const d = data.delta ?? {};
          if (d.type === 'text_delta' && d.text) yield { type: 'text', text: d.text };
          else if (d.type === 'thinking_delta' && d.thinking) yield { type: 'reasoning', text: d.thinking };
          else if (d.type === 'input_json_delta') {
            const b = blocks.get(data.index);
            if (b) b.json += d.partial_json ?? '';
          }
          break;
        }
        case 'content_block_stop': {
          const b = blocks.get(data.index);
          if (b?.type === 'tool_use') yield { type: 'toolCall', id: b.id, name: b.name ?? '', arguments: b.json || JSON.stringify(b.input ?? {}) };
          break;
        }
        case 'message_delta':
          stop = data.delta?.stop_reason ?? stop;
          input = data.usage?.input_tokens ?? input;
          output = data.usage?.output_tokens ?? output; // cumulative
          ctl.usage = usage();
          break;
        case 'message_stop':
          return yield { type: 'end', finishReason: normalizeFinishReason(stop), nativeFinishReason: stop };
        case 'error':
          return yield { type: 'error', error: errorInStream(data) };
        default:
          break; // ping and future events
      }
    }
  }

  private async *readWhole(response: Response): AsyncGenerator<LlmEvent> {
    const msg = (await response.json()) as { content?: Array<Record<string, any>>; stop_reason?: string; usage?: { input_tokens?: number; output_tokens?: number } };
    for (const part of msg.content ?? []) {
      if (part.type === 'thinking' && part.thinking) yield { type: 'reasoning', text: part.thinking };
      if (part.type === 'text' && part.text) yield { type: 'text', text: part.text };
      if (part.type === 'tool_use') yield { type: 'toolCall', id: part.id, name: part.name, arguments: JSON.stringify(part.input ?? {}) };
    }
    const u = msg.usage;
    if (u) yield { type: 'usage', inputTokens: u.input_tokens, outputTokens: u.output_tokens, totalTokens: (u.input_tokens ?? 0) + (u.output_tokens ?? 0) };
    yield { type: 'end', finishReason: normalizeFinishReason(msg.stop_reason), nativeFinishReason: msg.stop_reason };
  }
}
