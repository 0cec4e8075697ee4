// The chat view's strings travel from the host to the page in one element: the host writes VS
// Code's l10n bundle for the display language into it as JSON (host/chatView.ts), the view reads
// it (webview/l10n.ts).

/** The id of the `<script type="application/json">` element that carries the bundle. */
export const L10N_ELEMENT_ID = 'askllm-l10n';

/**
 * The bundle as the content of that element: JSON that cannot close the script element or open a
 * comment (every `<` escaped), so no message can break out of it.
 */
export function l10nScriptContent(bundle: Record<string, unknown> | undefined): string {
  return JSON.stringify(bundle ?? {}).replace(/</g, '\\u003c');
}
