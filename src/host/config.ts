import * as vscode from 'vscode';
import { resolveProfile } from '../api';
import { parseProfiles, problemsById, withNetworkDefaults } from '../core/profiles';
import type { NetworkDefaults, ProviderProfile } from '../core/types';

const SECTION = 'askLlm';

/**
 * The user's provider profiles and choices, validated once per settings change. Invalid entries
 * are left out and reported once, with a way to the settings; the valid ones keep working.
 */
export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private cached: ProviderProfile[] | undefined;
  /** Why each profile that was left out is invalid, by its id. */
  private problems = new Map<string, string>();
  private reported = '';
  private readonly sub: vscode.Disposable;
  /** Profiles that exist for a while, not in the settings (a replay's): listed after the user's. */
  private temporary: ProviderProfile[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      // VS Code's proxy settings are every profile's default proxy.
      if (e.affectsConfiguration(SECTION) || e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.noProxy') || e.affectsConfiguration('http.proxySupport')) {
        this.cached = undefined;
        this.changed.fire();
      }
    });
  }

  private get section() {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /**
   * VS Code's proxy settings, the default of every profile's `proxy` and `noProxy`: none when the
   * user turned proxy support off for extensions.
   */
  networkDefaults(): NetworkDefaults | undefined {
    const http = vscode.workspace.getConfiguration('http');
    if (http.get<string>('proxySupport') === 'off') return undefined;
    const proxy = http.get<string>('proxy')?.trim();
    const noProxy = http.get<unknown>('noProxy');
    return proxy ? { proxy, noProxy: Array.isArray(noProxy) ? noProxy.filter((h): h is string => typeof h === 'string') : undefined } : undefined;
  }

  /**
   * Configured profiles, VS Code's proxy their default; with none, an implicit "openai" profile when
   * OPENAI_API_KEY is set. Temporary profiles (`addTemporary`) come after them.
   */
  profiles(): ProviderProfile[] {
    const configured = this.configured();
    return this.temporary.length ? [...configured, ...this.temporary] : configured;
  }

  /**
   * A profile that answers by its id until the returned disposable is disposed, without touching
   * the settings (a replay's, pointed at its local server). Nothing else is told of it.
   */
  addTemporary(profile: ProviderProfile): vscode.Disposable {
    this.temporary = [...this.temporary.filter((p) => p.id !== profile.id), profile];
    return new vscode.Disposable(() => {
      this.temporary = this.temporary.filter((p) => p !== profile);
    });
  }

  /** Whether `id` names a temporary profile. */
  isTemporary(id: string): boolean {
    return this.temporary.some((p) => p.id === id);
  }

  private configured(): ProviderProfile[] {
    if (this.cached) return this.cached;
    const raw = this.section.get<unknown>('providers');
    const result = parseProfiles(raw);
    if (!result.ok) this.report(result.errors);
    this.problems = problemsById(raw, result);
    let profiles = result.profiles;
    if (profiles.length === 0 && process.env.OPENAI_API_KEY) {
      profiles = [{
        id: 'openai',
        label: 'OpenAI (OPENAI_API_KEY)',
        kind: 'openai',
        model: process.env.OPENAI_MODEL || 'gpt-4o-mini',
        ...(process.env.OPENAI_BASE_URL ? { baseUrl: process.env.OPENAI_BASE_URL.replace(/\/+$/, '') } : {}),
        apiKeyEnv: 'OPENAI_API_KEY',
      }];
    }
    const defaults = this.networkDefaults();
    this.cached = profiles.map((p) => withNetworkDefaults(p, defaults));
    return this.cached;
  }

  /** Why the profile with this id was left out (it is in the settings but invalid), if it was. */
  profileProblem(id: string): string | undefined {
    this.profiles();
    return this.problems.get(id);
  }

  activeProfileId(): string | undefined {
    return this.section.get<string>('activeProvider') || undefined;
  }

  /** The profile that answers when a call names none (none when the active one is invalid, as the API decides). */
  activeProfile(): ProviderProfile | undefined {
    return resolveProfile(this);
  }

  systemPrompt(): string | undefined {
    return this.section.get<string>('systemPrompt') || undefined;
  }

  async setActive(id: string): Promise<void> {
    await this.section.update('activeProvider', id, vscode.ConfigurationTarget.Global);
  }

  /** Adds (or replaces, by id) a profile in the user's settings. */
  async saveProfile(profile: ProviderProfile): Promise<void> {
    const raw = this.section.get<unknown[]>('providers') ?? [];
    const list = Array.isArray(raw) ? raw.filter((p) => (p as { id?: unknown })?.id !== profile.id) : [];
    await this.section.update('providers', [...list, profile], vscode.ConfigurationTarget.Global);
  }

  /**
   * Sets and removes fields of one profile where it is written (workspace or user settings),
   * keeping everything else of the entry as the user wrote it. False if no entry has this id.
   */
  async updateProfile(id: string, set: Partial<ProviderProfile>, unset: readonly string[] = []): Promise<boolean> {
    const info = this.section.inspect<unknown[]>('providers');
    const scopes = [
      [info?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
      [info?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [info?.globalValue, vscode.ConfigurationTarget.Global],
    ] as const;
    for (const [list, target] of scopes) {
      if (!Array.isArray(list)) continue;
      const i = list.findIndex((p) => (p as { id?: unknown })?.id === id);
      if (i < 0) continue;
      const entry: Record<string, unknown> = { ...(list[i] as Record<string, unknown>), ...set };
      for (const k of unset) delete entry[k];
      const next = [...list];
      next[i] = entry;
      await this.section.update('providers', next, target);
      return true;
    }
    return false;
  }

  private report(errors: string[]): void {
    const text = errors.join('\n');
    if (text === this.reported) return;
    this.reported = text;
    for (const e of errors) this.log.warn(`settings: ${e}`);
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Ask LLM: {0} problem(s) in askLlm.providers: {1}', errors.length, errors[0]), vscode.l10n.t('Open Settings'))
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
      });
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

