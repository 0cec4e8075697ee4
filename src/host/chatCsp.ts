// The chat view's Content-Security-Policy. No vscode here, so a unit test can load it in a browser.

/**
 * The policy for the chat view's page: its own script (by nonce), styles, fonts and images from
 * the extension, nothing else. `base-uri` and `form-action` do not fall back to `default-src`, so
 * they are named: a `<base>` or a form in an answer must go nowhere. No `data:` images (the view
 * shows none, and an answer's images are links).
 */
export function chatCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
