// "Ask LLM: Test Provider…" (`askLlm.testProvider`): the profile as it is, end to end, then a few
// tiny live requests that find out how the endpoint streams (src/core/doctor.ts decides), a
// Markdown report with timings, and an offer to write the matching fields into the settings.
import * as vscode from 'vscode';
import { createApi, type AskLlmApi } from '../api';
import { foldAnswer } from '../core/answer';
import {
  applySuggestion, chunkStyle, doctorMarkdown, DOCTOR_TEXT, doctorTarget, findingsOf, hasChanges, pipelineCheck, runProbes, suggest,
  type DoctorReport, type Findings, type ProbeResult, type Suggestion,
} from '../core/doctor';
import { labelOf, missingKey } from '../core/profiles';
import type { ProviderProfile } from '../core/types';
import type { Config } from './config';
import type { Keys } from './secrets';

/** User-facing strings of this file, in one place (translated when read, in the display language). */
const TEXT = {
  get pickTitle() { return vscode.l10n.t('Ask LLM: Test Provider'); },
  get pickPlaceholder() { return vscode.l10n.t('The profile to test with a few tiny requests'); },
  get noProfiles() { return vscode.l10n.t('Ask LLM: add a provider first.'); },
  get addProvider() { return vscode.l10n.t('Add Provider…'); },
  invalid: (id: string, problem: string) => vscode.l10n.t('Ask LLM: the profile "{0}" is invalid: {1}', id, problem),
  notFound: (id: string) => vscode.l10n.t('Ask LLM: there is no provider profile "{0}".', id),
  progress: (label: string) => vscode.l10n.t('Ask LLM: testing {0}', label),
  get asIs() { return vscode.l10n.t('your profile as it is…'); },
  get probing() { return vscode.l10n.t('how the endpoint streams…'); },
  suggestion: (n: number, id: string) => vscode.l10n.t('Ask LLM: the test suggests {0} change(s) to the profile "{1}" (see the report).', n, id),
  get apply() { return vscode.l10n.t('Apply'); },
  applied: (id: string) => vscode.l10n.t('Ask LLM: the profile "{0}" was updated.', id),
  fine: (label: string) => vscode.l10n.t('Ask LLM: {0} works as configured.', label),
  failed: (label: string) => vscode.l10n.t('Ask LLM: {0} did not answer; the report says why.', label),
  get noKey() { return vscode.l10n.t('Without a key the endpoint was not probed further: set it and test again.'); },
  fixedWire: (kind: string) => vscode.l10n.t('The wire probes are for OpenAI-compatible, Azure OpenAI, Responses and Anthropic endpoints; a `{0}` profile gets the end-to-end check above.', kind),
  get cancelled() { return vscode.l10n.t('Cancelled.'); },
};

export interface DoctorDeps {
  config: Config;
  keys: Pick<Keys, 'get'>;
  api: Pick<AskLlmApi, 'streamEvents'>;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
  fetch?: typeof fetch;
}

/** What the command resolves with (tests read it): the report, its Markdown, and whether settings changed. */
export interface DoctorRun {
  report: DoctorReport;
  markdown: string;
  applied: boolean;
}

interface Args {
  provider?: string;
  /** Write the suggested fields without asking (true), or never (false); asks when unset. */
  apply?: boolean;
  /** Open the report in a new document (default true). */
  show?: boolean;
}

function parseArgs(raw: unknown): { args: Args; interactive: boolean } {
  if (typeof raw === 'string') return { args: { provider: raw }, interactive: true };
  if (raw && typeof raw === 'object') {
    const a = raw as Record<string, unknown>;
    return {
      args: {
        ...(typeof a.provider === 'string' ? { provider: a.provider } : {}),
        ...(typeof a.apply === 'boolean' ? { apply: a.apply } : {}),
        ...(typeof a.show === 'boolean' ? { show: a.show } : {}),
      },
      interactive: false,
    };
  }
  return { args: {}, interactive: true };
}

export class ProviderDoctor {
  constructor(private readonly deps: DoctorDeps) {}

  /** `askLlm.testProvider`: with a profile id (from a button), with `{ provider, apply, show }`, or asking which. */
  async run(raw?: unknown): Promise<DoctorRun | undefined> {
    const { args, interactive } = parseArgs(raw);
    const profile = await this.pick(args.provider, interactive);
    if (!profile) return undefined;
    const label = labelOf(profile);
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: TEXT.progress(label), cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return this.examine(profile, controller.signal, (m) => progress.report({ message: m }));
      },
    );
    const markdown = doctorMarkdown(report);
    this.deps.log.info(`provider test of "${profile.id}": ${report.pipeline?.ok ? 'answered' : report.pipeline?.error?.kind ?? 'stopped'}, ${report.probes.length} probe(s), ${report.suggestion.reasons.length} suggestion(s)`);
    if (args.show !== false) {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.window.showTextDocument(doc, { preview: false });
    }
    let applied = false;
    if (hasChanges(report.suggestion)) {
      const apply = TEXT.apply;
      const yes = args.apply ?? (interactive
        ? (await vscode.window.showInformationMessage(TEXT.suggestion(report.suggestion.reasons.length, profile.id), apply)) === apply
        : false);
      if (yes) {
        applied = await this.apply(profile, report.suggestion);
        if (applied && interactive) void vscode.window.showInformationMessage(TEXT.applied(profile.id));
      }
    } else if (interactive) {
      void vscode.window.showInformationMessage(report.pipeline?.ok ? TEXT.fine(label) : TEXT.failed(label));
    }
    return { report, markdown, applied };
  }

  /** The checks themselves, without UI. */
  async examine(profile: ProviderProfile, signal: AbortSignal, say: (message: string) => void = () => undefined): Promise<DoctorReport> {
    say(TEXT.asIs);
    const pipeline = pipelineCheck(await foldAnswer(this.deps.api.streamEvents(DOCTOR_TEXT.prompt, { provider: profile.id, signal }), []));
    const keys = await this.deps.keys.get(profile);
    let findings: Findings | undefined;
    const probes: ProbeResult[] = [];
    const target = doctorTarget(profile, keys);
    // Without a key every probe would only be refused; the check above already says what is missing.
    if (!missingKey(profile, keys) && !signal.aborted) {
      say(TEXT.probing);
      if (target) {
        probes.push(...await runProbes(target, { fetch: this.deps.fetch ?? globalThis.fetch, signal }));
        findings = findingsOf(profile.kind, probes);
      } else if (profile.kind === 'sse') {
        findings = await this.sseChunks(profile, keys, signal);
      }
    }
    const suggestion: Suggestion = findings ? suggest(profile, findings) : { set: {}, unset: [], reasons: [] };
    const note = signal.aborted ? TEXT.cancelled : missingKey(profile, keys) ? TEXT.noKey : !target && profile.kind !== 'sse' ? TEXT.fixedWire(profile.kind) : undefined;
    return { profile, pipeline, probes, ...(findings ? { findings } : {}), suggestion, ...(note ? { note } : {}) };
  }

  /** An `sse` profile read with `cumulative` off: do its events carry new text, or the whole text so far? */
  private async sseChunks(profile: ProviderProfile, keys: { apiKey?: string; secretKey?: string }, signal: AbortSignal): Promise<Findings> {
    const raw = createApi({ profiles: () => [{ ...profile, cumulative: false, maxRetries: 0 }], activeProfileId: () => profile.id, keysFor: async () => keys, fetch: this.deps.fetch });
    const payloads: string[] = [];
    for await (const ev of raw.streamEvents(DOCTOR_TEXT.prompt, { provider: profile.id, signal })) if (ev.type === 'text' && ev.text) payloads.push(ev.text);
    return { apis: { chat: 'untested', responses: 'untested', anthropic: 'untested' }, chunks: chunkStyle(payloads) };
  }

  /** Writes the suggested fields where the profile is written (or adds it, for the implicit OPENAI_API_KEY one). */
  private async apply(profile: ProviderProfile, s: Suggestion): Promise<boolean> {
    if (await this.deps.config.updateProfile(profile.id, s.set, s.unset)) return true;
    await this.deps.config.saveProfile(applySuggestion(profile, s));
    return true;
  }

  private async pick(id: string | undefined, interactive: boolean): Promise<ProviderProfile | undefined> {
    const all = this.deps.config.profiles();
    if (id) {
      const found = all.find((p) => p.id === id);
      if (!found && interactive) {
        const problem = this.deps.config.profileProblem(id);
        void vscode.window.showWarningMessage(problem ? TEXT.invalid(id, problem) : TEXT.notFound(id));
      }
      return found;
    }
    if (!interactive) return this.deps.config.activeProfile();
    if (all.length === 0) {
      void vscode.window.showInformationMessage(TEXT.noProfiles, TEXT.addProvider).then((c) => c && vscode.commands.executeCommand('askLlm.selectProvider'));
      return undefined;
    }
    if (all.length === 1) return all[0];
    const active = this.deps.config.activeProfile();
    const ordered = [...all].sort((a, b) => Number(b.id === active?.id) - Number(a.id === active?.id));
    const pick = await vscode.window.showQuickPick(
      ordered.map((p) => ({ label: labelOf(p), description: `${p.kind} · ${p.model}`, profile: p })),
      { title: TEXT.pickTitle, placeHolder: TEXT.pickPlaceholder },
    );
    return pick?.profile;
  }
}
