// Which links model output may carry, shared by the webview (what is rendered as a link) and the
// host (what it opens). Imports nothing: both bundles include it.

/** Schemes an answer's Markdown may link to; any other link stays text. */
const LINKABLE = /^(?:https?|mailto):/i;

/** Whether the Markdown renderer may turn `url` (already normalized by markdown-it) into a link. */
export function isLinkable(url: string): boolean {
  return LINKABLE.test(url);
}

/**
 * The URL the host may open for a click in the chat view: an absolute http or https URL (no
 * credentials in it), or undefined. Anything else (`command:`, `vscode:`, `file:`, `mailto:`,
 * relative, malformed) is never opened.
 */
export function openableUrl(href: unknown): URL | undefined {
  if (typeof href !== 'string' || href.length > 8192) return undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url;
}
