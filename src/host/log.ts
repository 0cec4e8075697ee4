import * as vscode from 'vscode';

/** The "Ask LLM" channel in the Output panel: request ids, timings, errors. Never keys. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Ask LLM', { log: true });
}
