// The chat view's own strings in VS Code's display language. The host puts its l10n bundle
// (English message → translation, from l10n/bundle.l10n.<language>.json through vscode.l10n) into
// the page as JSON (`<script type="application/json" id="askllm-l10n">`); without it (English, or
// Node running the DOM-free modules in tests) every message stays English.
import { L10N_ELEMENT_ID } from '../shared/l10n';

function readBundle(): Record<string, string> {
  if (typeof document === 'undefined') return {};
  try {
    const parsed: unknown = JSON.parse(document.getElementById(L10N_ELEMENT_ID)?.textContent || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) {
      // A bundle entry is a string, or { message, comment } (vscode.l10n's format).
      const text = typeof v === 'string' ? v : typeof (v as { message?: unknown })?.message === 'string' ? (v as { message: string }).message : undefined;
      if (text) out[k] = text;
    }
    return out;
  } catch {
    return {};
  }
}

/** Read once, before any module builds its strings (this module is imported first). */
const bundle = readBundle();

export const l10n = {
  /**
   * An English message (a string literal: a unit test checks each has a translation) in the
   * display language, `{0}`, `{1}`… filled with `args`, like vscode.l10n.t in the host.
   */
  t(message: string, ...args: Array<string | number>): string {
    const text = bundle[message] ?? message;
    return args.length ? text.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m)) : text;
  },
};
