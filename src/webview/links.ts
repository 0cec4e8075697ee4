// Links in answers open only through the extension, on a click: the webview never navigates and
// never hands a link to VS Code's own link handling (which would open `vscode:` and `file:` URIs).
import { openableUrl } from '../shared/links';

/**
 * Handles every click (and middle click) on a link inside `root`: the default action and VS Code's
 * own handler (a listener on the window, after this one) never see it; `open` gets the href when
 * it is an http or https URL, and nothing else happens otherwise.
 */
export function interceptLinks(root: HTMLElement, open: (href: string) => void): void {
  const onClick = (e: MouseEvent) => {
    const link = e.target instanceof Element ? e.target.closest('a') : null;
    if (!link || !root.contains(link)) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.type === 'click' || e.button === 1) {
      const url = openableUrl(link.getAttribute('href') ?? '');
      if (url) open(url.href);
    }
  };
  root.addEventListener('click', onClick);
  root.addEventListener('auxclick', onClick);
}
