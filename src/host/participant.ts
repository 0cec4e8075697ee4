// `@ask` in VS Code's own Chat view (participant `askllm.ask`): the active profile answers through
// the same pipeline as every surface. The ChatResponseStream is one more Sink of foldAnswer:
// Markdown as it arrives, reasoning as progress, an error with a button that fixes it.
import * as vscode from 'vscode';
import { foldAnswer, type Outcome, type Sink } from '../core/answer';
import { hintFor } from '../core/errors';
import { labelOf } from '../core/profiles';
import type { CallOptions, ChatMessage, LlmErrorInfo, LlmEvent, ProviderProfile } from '../core/types';

export const PARTICIPANT_ID = 'askllm.ask';

/** User-facing strings of this file, in one place (translated when read, in the display language). */
const TEXT = {
  get thinking() { return vscode.l10n.t('Thinking…'); },
  thinkingAbout: (tail: string) => vscode.l10n.t('Thinking: {0}', tail),
  get setKey() { return vscode.l10n.t('Set API Key…'); },
  get selectProvider() { return vscode.l10n.t('Select Provider…'); },
  get testProvider() { return vscode.l10n.t('Test Provider…'); },
  get openSettings() { return vscode.l10n.t('Open Settings'); },
  cut: (label: string) => vscode.l10n.t('The answer was cut at {0}\'s length limit.', label),
  get theProvider() { return vscode.l10n.t('the provider'); },
};

/** What goes to the model with an attached text: English, whatever the display language. */
const PROMPT = {
  reference: (name: string) => `Attached: ${name}`,
};

export interface ParticipantDeps {
  streamEvents(messages: ChatMessage[], opts: CallOptions): AsyncIterable<LlmEvent>;
  /** The profile that answers (the active one), or undefined when none can. */
  activeProfile(): ProviderProfile | undefined;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
}

/** The most of one attached file or selection sent along with a question. */
const MAX_REFERENCE_CHARS = 100_000;

/** The text of the Markdown parts of an earlier answer (buttons and progress are not the answer). */
function responseText(turn: { response: ReadonlyArray<unknown> }): string {
  let text = '';
  for (const part of turn.response) {
    // Markdown parts hold a MarkdownString; anchors a Uri or Location, buttons a Command, trees an array.
    const value = (part as { value?: { value?: unknown } }).value;
    if (typeof value?.value === 'string') text += value.value;
  }
  return text;
}

/**
 * The conversation VS Code hands a participant (its history holds only this participant's turns)
 * as ours: each request a `user` message, each answer's Markdown an `assistant` one.
 */
export function conversationOf(history: ReadonlyArray<unknown>): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const turn of history) {
    if (turn && typeof (turn as vscode.ChatRequestTurn).prompt === 'string') {
      out.push({ role: 'user', content: (turn as vscode.ChatRequestTurn).prompt });
    } else if (turn && Array.isArray((turn as vscode.ChatResponseTurn).response)) {
      const text = responseText(turn as vscode.ChatResponseTurn);
      if (text.trim()) out.push({ role: 'assistant', content: text });
    }
  }
  return out;
}

/** Files and selections attached to the request (#file, a selection), as context after the prompt. */
async function withReferences(request: Pick<vscode.ChatRequest, 'prompt' | 'references'>): Promise<string> {
  let prompt = request.prompt;
  for (const ref of [...(request.references ?? [])].reverse()) {
    const v = ref.value;
    let name: string | undefined;
    let text: string | undefined;
    let language = '';
    try {
      if (typeof v === 'string') {
        name = ref.id;
        text = v;
      } else if (v instanceof vscode.Uri || v instanceof vscode.Location) {
        const uri = v instanceof vscode.Uri ? v : v.uri;
        const doc = await vscode.workspace.openTextDocument(uri);
        text = v instanceof vscode.Location ? doc.getText(v.range) : doc.getText();
        language = doc.languageId;
        name = vscode.workspace.asRelativePath(uri) + (v instanceof vscode.Location ? `:${v.range.start.line + 1}-${v.range.end.line + 1}` : '');
      }
    } catch {
      continue; // a folder, a binary file, a file gone: the question goes without it
    }
    if (text === undefined || !name) continue;
    const fence = text.includes('```') ? '````' : '```';
    prompt += `\n\n${PROMPT.reference(name)}\n${fence}${language}\n${text.slice(0, MAX_REFERENCE_CHARS)}\n${fence}`;
  }
  return prompt;
}

/** The buttons that fix an error: set the key of the profile that failed, pick or test a provider. */
export function fixesFor(error: LlmErrorInfo, profileId: string | undefined): vscode.Command[] {
  const key: vscode.Command = { command: 'askLlm.setApiKey', title: TEXT.setKey, arguments: profileId ? [profileId] : [] };
  const select: vscode.Command = { command: 'askLlm.selectProvider', title: TEXT.selectProvider };
  const test: vscode.Command = { command: 'askLlm.testProvider', title: TEXT.testProvider, arguments: profileId ? [profileId] : [] };
  const settings: vscode.Command = { command: 'workbench.action.openSettings', title: TEXT.openSettings, arguments: ['askLlm.providers'] };
  if (!profileId) return error.kind === 'badRequest' ? [settings, select] : [select];
  switch (error.kind) {
    case 'auth':
    case 'permission':
      return [key, select];
    case 'notFound':
    case 'badRequest':
    case 'network':
    case 'timeout':
    case 'protocol':
      return [test, select];
    default:
      return [select];
  }
}

/**
 * A ChatResponseStream as a Sink: text as Markdown in the batches the fold coalesces; reasoning as
 * a progress line (at most one every two seconds, and only until the answer's text begins).
 */
export function chatStreamSink(stream: Pick<vscode.ChatResponseStream, 'markdown' | 'progress'>, now: () => number = Date.now): Sink & { outcome?: Outcome } {
  let lastProgress = -Infinity;
  let wrote = false;
  const sink: Sink & { outcome?: Outcome } = {
    write(batch, answer) {
      if (batch.reasoning && !wrote && now() - lastProgress >= 2000) {
        const tail = answer.reasoning.trim().split('\n').pop()?.trim() ?? '';
        stream.progress(lastProgress === -Infinity || !tail ? TEXT.thinking : TEXT.thinkingAbout(tail.length > 80 ? `…${tail.slice(-79)}` : tail));
        lastProgress = now();
      }
      if (batch.text) {
        wrote = true;
        stream.markdown(batch.text);
      }
    },
    finish(outcome) {
      sink.outcome = outcome;
    },
  };
  return sink;
}

/** The participant's request handler: `@ask <question>` answered by the active profile. */
export function chatHandler(deps: ParticipantDeps): vscode.ChatRequestHandler {
  return async (request, context, stream, token) => {
    const profile = deps.activeProfile();
    const controller = new AbortController();
    const onCancel = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    try {
      const messages: ChatMessage[] = [...conversationOf(context.history), { role: 'user', content: await withReferences(request) }];
      const sink = chatStreamSink(stream);
      const outcome = await foldAnswer(
        deps.streamEvents(messages, { ...(profile ? { provider: profile.id } : {}), signal: controller.signal }),
        [sink],
        { onSinkError: (err) => deps.log.error(`@ask: the chat stream failed: ${err instanceof Error ? err.message : String(err)}`) },
      );
      const metadata = { provider: outcome.provider, model: outcome.model, finishReason: outcome.finishReason, firstTokenMs: outcome.timing.firstTokenMs, durationMs: outcome.timing.durationMs };
      if (outcome.error) {
        for (const command of fixesFor(outcome.error, profile?.id ?? outcome.provider)) stream.button(command);
        const hint = hintFor(outcome.error, profile ? labelOf(profile) : undefined);
        return { errorDetails: { message: hint && !outcome.error.message.includes('Ask LLM:') ? `${outcome.error.message} ${hint}` : outcome.error.message }, metadata };
      }
      if (outcome.finishReason === 'length') stream.progress(TEXT.cut(profile ? labelOf(profile) : TEXT.theProvider));
      return { metadata };
    } finally {
      onCancel.dispose();
    }
  };
}

/** Creates the participant (declared in package.json `contributes.chatParticipants`). */
export function registerParticipant(deps: ParticipantDeps, extensionUri: vscode.Uri): vscode.ChatParticipant {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, chatHandler(deps));
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
  return participant;
}
