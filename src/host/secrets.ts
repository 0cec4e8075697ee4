import type * as vscode from 'vscode';
import type { ProviderProfile } from '../core/types';

export type KeyName = 'apiKey' | 'secretKey';

/** API keys live in SecretStorage, one per profile id (ERNIE has a second, secret key). */
export class Keys {
  private readonly changed: vscode.EventEmitter<void>;
  readonly onDidChange: vscode.Event<void>;

  constructor(private readonly secrets: vscode.SecretStorage, emitter: vscode.EventEmitter<void>) {
    this.changed = emitter;
    this.onDidChange = emitter.event;
    secrets.onDidChange(() => this.changed.fire());
  }

  private static key(profileId: string, which: KeyName): string {
    return `askLlm.${which}/${profileId}`;
  }

  /** SecretStorage first, then the environment variable the profile names. */
  async get(profile: ProviderProfile): Promise<{ apiKey?: string; secretKey?: string }> {
    const apiKey = (await this.secrets.get(Keys.key(profile.id, 'apiKey'))) || (profile.apiKeyEnv ? process.env[profile.apiKeyEnv] : undefined);
    const secretKey = (await this.secrets.get(Keys.key(profile.id, 'secretKey'))) || (profile.secretKeyEnv ? process.env[profile.secretKeyEnv] : undefined);
    return { apiKey: apiKey || undefined, secretKey: secretKey || undefined };
  }

  /** Where the key comes from, for pickers: never the key itself. */
  async source(profile: ProviderProfile): Promise<'secret' | 'env' | 'none'> {
    if (await this.secrets.get(Keys.key(profile.id, 'apiKey'))) return 'secret';
    if (profile.apiKeyEnv && process.env[profile.apiKeyEnv]) return 'env';
    return 'none';
  }

  /** Stores a key; an empty value deletes it. */
  async set(profileId: string, value: string, which: KeyName = 'apiKey'): Promise<void> {
    if (value) await this.secrets.store(Keys.key(profileId, which), value);
    else await this.secrets.delete(Keys.key(profileId, which));
  }
}
