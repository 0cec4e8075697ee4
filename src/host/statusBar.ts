import * as vscode from 'vscode';

/**
 * One status-bar item: the active provider when idle (click to switch), a stop icon while any answer
 * streams (click to stop). Also keeps the `askLlm.streaming` and `askLlm.streamingInEditor` context keys for keybindings.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('askLlm.status', vscode.StatusBarAlignment.Right, 100);
  private readonly busy = new Map<string, number>();
  private idleText = '$(sparkle) Ask LLM';
  private idleTooltip = vscode.l10n.t('Ask LLM: select a provider');

  constructor() {
    this.item.name = 'Ask LLM';
    this.render();
    this.item.show();
  }

  setProvider(label: string | undefined, model: string | undefined): void {
    this.idleText = label ? `$(sparkle) ${model || label}` : '$(sparkle) Ask LLM';
    this.idleTooltip = label ? vscode.l10n.t('Ask LLM: {0} · {1} (click to switch provider)', label, model ?? '') : vscode.l10n.t('Ask LLM: no provider configured (click to add one)');
    this.render();
  }

  /** Counts busy sources (several editor answers and the chat may stream at once). */
  setBusy(source: string, busy: boolean): void {
    const n = (this.busy.get(source) ?? 0) + (busy ? 1 : -1);
    if (n > 0) this.busy.set(source, n);
    else this.busy.delete(source);
    this.render();
  }

  get streaming(): boolean {
    return this.busy.size > 0;
  }

  private render(): void {
    const streaming = this.streaming;
    void vscode.commands.executeCommand('setContext', 'askLlm.streaming', streaming);
    // Escape in the editor stops only while an answer streams into an editor.
    void vscode.commands.executeCommand('setContext', 'askLlm.streamingInEditor', this.busy.has('editor'));
    // A still icon: a spinning one restyles the whole workbench every frame while the answer
    // streams (bench/results/relay-2026-12-02.md), time the answer's own rendering needs.
    this.item.text = streaming ? '$(stop-circle) Ask LLM' : this.idleText;
    this.item.tooltip = streaming ? vscode.l10n.t('Ask LLM is streaming an answer (click to stop)') : this.idleTooltip;
    this.item.command = streaming ? 'askLlm.stop' : 'askLlm.selectProvider';
  }

  dispose(): void {
    this.item.dispose();
  }
}
