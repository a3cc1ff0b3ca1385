/**
 * The links of a PEP 503 project page or a pip find-links HTML page: every `<a href>` whose last path
 * segment is a file name, with PEP 592 `data-yanked`. Pure: takes the page text.
 */
import { Parser } from 'htmlparser2';
import type { IndexLink } from './distFilename';

/** The file name an href points at (last path segment, without query or fragment, percent-decoded). */
export function filenameOfHref(href: string): string | undefined {
  const path = href.split('#')[0]?.split('?')[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Every anchor of the page that names a file, with its yank state and SHA-256 when given. */
export function linksOfIndexHtml(html: string): IndexLink[] {
  const links: IndexLink[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name !== 'a' || attributes.href === undefined) return;
        const filename = filenameOfHref(attributes.href);
        if (!filename) return;
        const link: IndexLink = { filename };
        // PEP 503 puts the file's hash in the fragment: `#sha256=<hex>`.
        const hash = /#sha256=([0-9a-f]{64})$/i.exec(attributes.href)?.[1];
        if (hash) link.sha256 = hash.toLowerCase();
        // An empty data-yanked still means yanked, just without a reason.
        const yanked = attributes['data-yanked'];
        if (yanked !== undefined) link.yanked = yanked === '' ? true : yanked;
        links.push(link);
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return links;
}
