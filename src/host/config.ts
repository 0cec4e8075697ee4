import * as vscode from 'vscode';
import { parseProfiles } from '../core/profiles';
import type { ProviderProfile } from '../core/types';

const SECTION = 'askLlm';

/**
 * The user's provider profiles and choices, validated once per settings change. Invalid entries
 * are left out and reported once, with a way to the settings; the valid ones keep working.
 */
export class Config implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private cached: ProviderProfile[] | undefined;
  private reported = '';
  private readonly sub: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) {
        this.cached = undefined;
        this.changed.fire();
      }
    });
  }

  private get section() {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** Configured profiles; with none, an implicit "openai" profile when OPENAI_API_KEY is set. */
  profiles(): ProviderProfile[] {
    if (this.cached) return this.cached;
    const result = parseProfiles(this.section.get<unknown>('providers'));
    if (!result.ok) this.report(result.errors);
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
    this.cached = profiles;
    return profiles;
  }

  activeProfileId(): string | undefined {
    return this.section.get<string>('activeProvider') || undefined;
  }

  /** The profile that answers when a call names none. */
  activeProfile(): ProviderProfile | undefined {
    const all = this.profiles();
    const id = this.activeProfileId();
    return all.find((p) => p.id === id) ?? all[0];
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

  private report(errors: string[]): void {
    const text = errors.join('\n');
    if (text === this.reported) return;
    this.reported = text;
    for (const e of errors) this.log.warn(`settings: ${e}`);
    void vscode.window
      .showWarningMessage(`Ask LLM: ${errors.length} problem(s) in askLlm.providers: ${errors[0]}`, 'Open Settings')
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
      });
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
