import type * as vscode from 'vscode';
import type { ProviderProfile } from '../core/types';

export type KeyName = 'apiKey' | 'secretKey';

/** API keys live in SecretStorage, one per profile id (ERNIE has a second, secret key). */
export class Keys {
  private readonly changed: vscode.EventEmitter<void>;
  readonly onDidChange: vscode.Event<void>;

  /** Keys read once per profile: a SecretStorage read is a round trip to the workbench. */
  private readonly cache = new Map<string, Promise<string | undefined>>();

  constructor(private readonly secrets: vscode.SecretStorage, emitter: vscode.EventEmitter<void>) {
    this.changed = emitter;
    this.onDidChange = emitter.event;
    secrets.onDidChange((e) => {
      this.cache.delete(e.key);
      this.changed.fire();
    });
  }

  private read(key: string): Promise<string | undefined> {
    let v = this.cache.get(key);
    if (!v) {
      v = Promise.resolve(this.secrets.get(key));
      this.cache.set(key, v);
    }
    return v;
  }

  private static key(profileId: string, which: KeyName): string {
    return `askLlm.${which}/${profileId}`;
  }

  /** SecretStorage first, then the environment variable the profile names. */
  async get(profile: ProviderProfile): Promise<{ apiKey?: string; secretKey?: string }> {
    // Both round trips at once (one after the other, the first question after a start waited for two).
    const [storedApi, storedSecret] = await Promise.all([this.read(Keys.key(profile.id, 'apiKey')), this.read(Keys.key(profile.id, 'secretKey'))]);
    const apiKey = storedApi || (profile.apiKeyEnv ? process.env[profile.apiKeyEnv] : undefined);
    const secretKey = storedSecret || (profile.secretKeyEnv ? process.env[profile.secretKeyEnv] : undefined);
    return { apiKey: apiKey || undefined, secretKey: secretKey || undefined };
  }

  /** Where the key comes from, for pickers: never the key itself. */
  async source(profile: ProviderProfile): Promise<'secret' | 'env' | 'none'> {
    if (await this.read(Keys.key(profile.id, 'apiKey'))) return 'secret';
    if (profile.apiKeyEnv && process.env[profile.apiKeyEnv]) return 'env';
    return 'none';
  }

  /** Stores a key; an empty value deletes it. */
  async set(profileId: string, value: string, which: KeyName = 'apiKey'): Promise<void> {
    const key = Keys.key(profileId, which);
    this.cache.delete(key);
    if (value) await this.secrets.store(key, value);
    else await this.secrets.delete(key);
    this.cache.delete(key);
  }
}
