// What a key in the message box does. DOM-free (a KeyboardEvent fits), so it runs in Node.

/** The parts of a KeyboardEvent that decide it. */
export interface PromptKey {
  key: string;
  shiftKey: boolean;
  isComposing: boolean;
  /** 229 while an IME owns the key (also on the Enter that ends a composition in some browsers). */
  keyCode: number;
}

/**
 * `send` for Enter, `stop` for Escape while an answer streams, nothing otherwise (Shift+Enter is a
 * newline). A key that belongs to an IME composition (Chinese, Japanese…) never sends or stops:
 * its Enter picks the candidate, its Escape cancels the composition. Chromium marks such keys with
 * `isComposing`; Safari fires the committing Enter after `compositionend`, with only keyCode 229.
 */
export function promptKeyAction(e: PromptKey, streaming: boolean): 'send' | 'stop' | undefined {
  if (e.isComposing || e.keyCode === 229) return undefined;
  if (e.key === 'Enter' && !e.shiftKey) return 'send';
  if (e.key === 'Escape' && streaming) return 'stop';
  return undefined;
}
