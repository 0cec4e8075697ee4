import * as vscode from 'vscode';

const LINES = new Set<PropertyKey>(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace', 'clear', 'show', 'hide']);

/**
 * The "Ask LLM" channel in the Output panel (`name`: another, for a test): request ids, timings, errors. Never keys.
 * When the window goes away VS Code disposes the extension's subscriptions in order, this channel
 * among the first, and then a line logged by anything still running threw "Channel has been
 * closed" into it: an answer streaming at that moment ended as a failure instead of interrupted.
 * Lines logged after the channel is closed are dropped.
 */
export function createLog(name = 'Ask LLM'): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel(name, { log: true });
  return new Proxy(channel, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (!LINES.has(prop)) return value.bind(target);
      return (...args: unknown[]) => {
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch {
          return undefined; // closed: the window is going away
        }
      };
    },
  });
}
