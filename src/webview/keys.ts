// What a key in the message box does. DOM-free (a KeyboardEvent fits), so it runs in Node.

/** The parts of a KeyboardEvent that decide it. */
export interface PromptKey {
  key: string;
  shiftKey: boolean;
  isComposing: boolean;
  /** 229 while an IME owns the key (also on the Enter that ends a composition in some browsers). */
  keyCode: number;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}

/** The message box around the key. */
export interface PromptState {
  /** An answer is streaming. */
  streaming: boolean;
  /** The box holds nothing (Up then recalls the last question). */
  empty?: boolean;
  /** The box holds the last question, being edited. */
  editing?: boolean;
}

export type PromptAction = 'send' | 'stop' | 'editLast' | 'cancelEdit';

/**
 * `send` for Enter, `stop` for Escape while an answer streams, `cancelEdit` for Escape while the
 * last question is being edited, `editLast` for a plain Up in an empty box, nothing otherwise
 * (Shift+Enter is a newline). A key that belongs to an IME composition (Chinese, Japanese…) never
 * acts: its Enter picks the candidate, its Escape cancels the composition. Chromium marks such
 * keys with `isComposing`; Safari fires the committing Enter after `compositionend`, with only
 * keyCode 229.
 */
export function promptKeyAction(e: PromptKey, state: boolean | PromptState): PromptAction | undefined {
  const s: PromptState = typeof state === 'boolean' ? { streaming: state } : state;
  if (e.isComposing || e.keyCode === 229) return undefined;
  if (e.key === 'Enter' && !e.shiftKey) return 'send';
  if (e.key === 'Escape' && s.streaming) return 'stop';
  if (e.key === 'Escape' && s.editing) return 'cancelEdit';
  if (e.key === 'ArrowUp' && s.empty && !s.editing && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) return 'editLast';
  return undefined;
}
