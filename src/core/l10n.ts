// The messages of core/, providers/ and api.ts that users read (errors, hints, the doctor's
// report), in the display language. The extension host installs VS Code's translator
// (`vscode.l10n.t`, l10n/bundle.l10n.*.json) at activation; without one (plain-Node tests, the
// API used outside VS Code) the English message stands. Messages are translated when they are
// made, never at module load (the host installs its translator only at activation).

export type L10nArg = string | number | boolean;
export type Translate = (message: string, args: readonly L10nArg[]) => string;

let translate: Translate | undefined;

/** Installs the host's translator; undefined goes back to English. */
export function setTranslator(t: Translate | undefined): void {
  translate = t;
}

/** `message` with `{0}`, `{1}`… filled from `args` (a placeholder without an argument stays). */
export function formatMessage(message: string, args: readonly L10nArg[]): string {
  if (!args.length) return message;
  return message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

export const l10n = {
  /**
   * An English message (a string literal: a unit test checks each has a translation) in the
   * display language, `{0}`, `{1}`… filled with `args`.
   */
  t(message: string, ...args: L10nArg[]): string {
    return translate ? translate(message, args) : formatMessage(message, args);
  },
};
