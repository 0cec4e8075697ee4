import * as vscode from 'vscode';
import { baseUrlOf, labelOf } from '../core/profiles';
import { presets } from '../core/presets';
import type { ProviderProfile } from '../core/types';
import type { Config } from './config';
import { VENDOR } from './lmProvider';
import type { KeyName, Keys } from './secrets';

type ProfileItem = vscode.QuickPickItem & { profile?: ProviderProfile; action?: 'add' | 'settings' | 'test' };

/** The button on each profile's row that runs the provider doctor on it. */
const testButton = (): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon('beaker'), tooltip: vscode.l10n.t('Test this provider (a few tiny requests)') });

/** A quick pick whose rows may carry buttons: resolves with the row chosen, or the row whose button was pressed. */
function pickWithButtons<T extends vscode.QuickPickItem>(items: T[], opts: { title: string; placeHolder: string }): Promise<{ item: T; button: boolean } | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<T>();
    qp.title = opts.title;
    qp.placeholder = opts.placeHolder;
    qp.items = items;
    let result: { item: T; button: boolean } | undefined;
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (item) result = { item, button: false };
      qp.hide();
    });
    qp.onDidTriggerItemButton((e) => {
      result = { item: e.item, button: true };
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(result);
    });
    qp.show();
  });
}

export class ProviderPicker {
  constructor(private readonly config: Config, private readonly keys: Keys) {}

  /** `askLlm.selectProvider`: the profiles (kind, model, key status) plus "Add provider…". */
  async select(): Promise<void> {
    const active = this.config.activeProfile();
    const items: ProfileItem[] = [];
    const button = testButton();
    for (const p of this.config.profiles()) {
      const source = p.kind === 'vscode-lm' ? 'env' : await this.keys.source(p);
      items.push({
        label: `${p.id === active?.id ? '$(check) ' : ''}${labelOf(p)}`,
        description: `${p.kind} · ${p.model}`,
        detail: p.kind === 'vscode-lm' ? vscode.l10n.t('VS Code language models · no key needed')
          : `${p.kind === 'sse' ? p.url ?? '' : baseUrlOf(p)}  ·  ${source === 'secret' ? vscode.l10n.t('key set') : source === 'env' ? vscode.l10n.t('key from ${0}', p.apiKeyEnv ?? '') : vscode.l10n.t('no key set')}`,
        profile: p,
        buttons: [button],
      });
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: `$(add) ${vscode.l10n.t('Add provider…')}`, action: 'add' });
    if (items.some((i) => i.profile)) items.push({ label: `$(beaker) ${vscode.l10n.t('Test provider…')}`, detail: vscode.l10n.t('Find out how an endpoint streams, with timings, and fix its profile'), action: 'test' });
    items.push({ label: `$(gear) ${vscode.l10n.t('Edit profiles in settings')}`, action: 'settings' });
    const chosen = await pickWithButtons(items, { title: vscode.l10n.t('Ask LLM: Select Provider'), placeHolder: vscode.l10n.t('The provider that answers in the chat and at the cursor') });
    if (!chosen) return;
    const pick = chosen.item;
    if (chosen.button && pick.profile) {
      await vscode.commands.executeCommand('askLlm.testProvider', pick.profile.id);
      return;
    }
    if (pick.action === 'test') {
      await vscode.commands.executeCommand('askLlm.testProvider');
      return;
    }
    if (pick.action === 'add') return this.add();
    if (pick.action === 'settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'askLlm.providers');
      return;
    }
    if (pick.profile) await this.config.setActive(pick.profile.id);
  }

  /** "Add provider…": preset → URL → model → key(s); writes the profile and makes it active. */
  async add(): Promise<void> {
    const preset = await vscode.window.showQuickPick(presets().map((p) => ({ label: p.label, detail: p.detail, preset: p })), { title: vscode.l10n.t('Ask LLM: Add Provider'), matchOnDetail: true });
    if (!preset) return;
    const p = preset.preset;
    const profile: ProviderProfile = { id: '', label: p.label.replace(/\s*[(（].*[)）]$/, ''), kind: p.kind, model: '', ...p.extra };
    if (p.baseUrl !== undefined) {
      const url = await vscode.window.showInputBox({
        title: p.kind === 'sse' ? vscode.l10n.t('{0}: endpoint URL', p.label) : vscode.l10n.t('{0}: base URL', p.label), value: p.baseUrl, ignoreFocusOut: true,
        validateInput: (v) => (/^https?:\/\/[^/]+/.test(v.trim()) && !v.includes('RESOURCE') ? undefined : vscode.l10n.t('Enter a URL that starts with http:// or https://')),
      });
      if (!url) return;
      if (p.kind === 'sse') profile.url = url.trim();
      else profile.baseUrl = url.trim().replace(/\/+$/, '');
    }
    const model = p.kind === 'vscode-lm' ? await this.pickVscodeModel() : await vscode.window.showInputBox({
      title: `${p.label}: ${p.modelPrompt ?? vscode.l10n.t('model')}`, value: p.model, ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the name the server expects')),
    });
    if (model === undefined) return;
    profile.model = model.trim();
    const taken = new Set(this.config.profiles().map((x) => x.id));
    let id = p.id;
    for (let n = 2; taken.has(id); n++) id = `${p.id}-${n}`;
    profile.id = id;
    await this.config.saveProfile(profile);
    await this.config.setActive(id);
    if (p.needsKey) await this.setKey(id); // for ERNIE this goes on to the secret key
  }

  private async pickVscodeModel(): Promise<string | undefined> {
    // Our own profiles are listed as VS Code models too: a vscode-lm profile never uses one of them.
    const models = (await vscode.lm.selectChatModels()).filter((m) => m.vendor !== VENDOR);
    if (models.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Ask LLM: VS Code has no language models yet. Install and sign in to an extension that provides them (for example GitHub Copilot Chat); the profile will use the first model that appears.'));
      return '';
    }
    const pick = await vscode.window.showQuickPick(models.map((m) => ({ label: m.name, description: `${m.vendor} · ${m.family}`, id: m.id })), { title: vscode.l10n.t('Ask LLM: VS Code language model') });
    return pick?.id;
  }

  /** `askLlm.setApiKey`: for the given or active profile (asks which when there are several). */
  async setKey(profileId?: string, which: KeyName = 'apiKey'): Promise<void> {
    let id = typeof profileId === 'string' ? profileId : undefined;
    if (!id) {
      const all = this.config.profiles();
      if (all.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Ask LLM: add a provider first.'), vscode.l10n.t('Add Provider…')).then((c) => {
          if (c) void this.add();
        });
        return;
      }
      const active = this.config.activeProfile();
      const pick = all.length === 1 ? { id: all[0].id } : await vscode.window.showQuickPick(
        all.map((x) => ({ label: labelOf(x), description: `${x.kind} · ${x.model}`, id: x.id, picked: x.id === active?.id })),
        { title: vscode.l10n.t('Ask LLM: Set API Key for…') });
      if (!pick) return;
      id = pick.id;
    }
    const profile = this.config.profiles().find((x) => x.id === id);
    const secret = which === 'secretKey';
    const value = await vscode.window.showInputBox({
      title: secret ? vscode.l10n.t('Secret key for "{0}"', id) : vscode.l10n.t('API key for "{0}"', id), password: true, ignoreFocusOut: true,
      prompt: vscode.l10n.t('Stored in VS Code\'s secret storage, never in settings. Leave empty to remove the stored key.'),
    });
    if (value === undefined) return;
    await this.keys.set(id, value.trim(), which);
    void vscode.window.showInformationMessage(value.trim()
      ? (secret ? vscode.l10n.t('Ask LLM: Secret key for "{0}" saved.', id) : vscode.l10n.t('Ask LLM: API key for "{0}" saved.', id))
      : (secret ? vscode.l10n.t('Ask LLM: Secret key for "{0}" removed.', id) : vscode.l10n.t('Ask LLM: API key for "{0}" removed.', id)));
    // ERNIE needs both keys: asking for the key of an ERNIE profile goes on to its secret key.
    if (which === 'apiKey' && value.trim() && profile?.kind === 'ernie') await this.setKey(id, 'secretKey');
  }
}
