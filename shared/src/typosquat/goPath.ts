import { osaDistance } from './osa';
import { separatorKey, visualSkeleton } from './lookalike';
import type { TyposquatConfidence, TyposquatMatch } from './detector';

/**
 * Go module paths compared element by element: a look-alike keeps every element of a popular path but
 * one, and that one imitates the original (`github.com/boltdb-go/bolt` for `github.com/boltdb/bolt`).
 * Elements a stranger controls make a `high` match: the host (a look-alike domain) and, on shared code
 * hosts, the owner. A look-alike repository under the same owner, or path under the same vanity domain,
 * can only come from the original's owner: reported as a likely typo (`medium`), not as an impostor.
 * Case-only differences are never reported: code hosts resolve owners and repositories case-insensitively,
 * so `github.com/Sirupsen/logrus` is the same repository as `github.com/sirupsen/logrus`, not an impostor.
 */
export class GoPathIndex {
  /** Lower-cased, major-version-stripped popular paths → rank. */
  private readonly canonical = new Map<string, number>();
  /** `${elementCount}|${host}` → paths with their elements, most popular first. */
  private readonly buckets = new Map<string, Array<{ id: number; elements: string[] }>>();
  private readonly hosts = new Set<string>();

  constructor(private readonly names: readonly string[]) {
    names.forEach((name, id) => {
      const key = canonicalGoPath(name);
      if (!this.canonical.has(key)) this.canonical.set(key, id);
      const elements = key.split('/');
      const host = elements[0]!;
      this.hosts.add(host);
      const bucketKey = `${elements.length}|${host}`;
      let bucket = this.buckets.get(bucketKey);
      if (!bucket) this.buckets.set(bucketKey, (bucket = []));
      bucket.push({ id, elements });
    });
  }

  /** True when the path, another major version of it, or a module it lives in is popular. */
  isPopular(path: string): boolean {
    const elements = canonicalGoPath(path).split('/');
    for (let k = elements.length; k >= 2; k--) {
      if (this.canonical.has(elements.slice(0, k).join('/'))) return true;
    }
    return false;
  }

  /** The popular path this one imitates, or undefined. */
  check(path: string): TyposquatMatch | undefined {
    if (this.isPopular(path)) return undefined;
    const elements = canonicalGoPath(path).split('/');
    const host = elements[0]!;
    // A look-alike host with the rest of a popular path unchanged (`githib.com/stretchr/testify`).
    if (!this.hosts.has(host)) {
      for (const known of this.hosts) {
        if (elementLookalike(host, known) === undefined) continue;
        const id = this.canonical.get([known, ...elements.slice(1)].join('/'));
        if (id !== undefined) {
          return this.match(id, 'high', `Its host '${host}' imitates '${known}' and the rest of the path is the same`);
        }
      }
      return undefined;
    }
    // Compare the leading elements with popular paths of that many elements (a package path inside a module too).
    const shared = SHARED_HOSTS.has(host);
    let sibling: TyposquatMatch | undefined;
    for (let k = Math.min(elements.length, 4); k >= 2; k--) {
      const bucket = this.buckets.get(`${k}|${host}`);
      if (!bucket) continue;
      for (const { id, elements: popular } of bucket) {
        let differing = -1;
        let count = 0;
        for (let e = 1; e < k && count < 2; e++) {
          if (elements[e] !== popular[e]) {
            differing = e;
            count++;
          }
        }
        if (count !== 1) continue;
        const how = elementLookalike(elements[differing]!, popular[differing]!);
        if (!how) continue;
        const mine = elements[differing]!;
        const theirs = popular[differing]!;
        // An owner on a shared host is an account anyone can register: an impostor.
        if (shared && differing === 1) return this.match(id, 'high', `Its owner '${mine}' ${how} '${theirs}' and the rest of the path is the same`);
        // Any other element is controlled by the original's owner (or domain): likely a typo, not an impostor.
        sibling ??= this.match(
          id,
          'medium',
          `Its '${mine}' ${how} '${theirs}' under the same ${shared ? 'owner' : 'domain'}, so it is likely a typo rather than an impostor`,
        );
      }
    }
    return sibling;
  }

  private match(id: number, confidence: TyposquatConfidence, why: string): TyposquatMatch {
    const intended = this.names[id]!;
    return { intended, operator: 'go-path', reason: `${why}; compare '${intended}', a widely used Go module.`, confidence };
  }
}

/** Hosts where the element after the host is an account anyone can register (gopkg.in maps it to a GitHub owner). */
const SHARED_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'gopkg.in', 'gitee.com', 'codeberg.org']);

/** Lower-cased, without a trailing major-version element (`/v2`) or gopkg.in suffix (`.v3`). */
export function canonicalGoPath(path: string): string {
  return path.toLowerCase().replace(/\/+$/, '').replace(/\/v\d+$/, '').replace(/\.v\d+$/, '');
}

/** How one (lower-cased) path element imitates another, as a verb phrase, or undefined. */
function elementLookalike(element: string, popular: string): string | undefined {
  if (separatorKey(element) === separatorKey(popular)) return 'only changes the separators of';
  if (visualSkeleton(element) === visualSkeleton(popular)) return 'uses look-alike characters for';
  for (const affix of ['go-', 'golang-']) {
    if (element === affix + popular || popular === affix + element) return `adds or drops '${affix}' on`;
  }
  for (const affix of ['-go', '-golang', '.go']) {
    if (element === popular + affix || popular === element + affix) return `adds or drops '${affix}' on`;
  }
  if (element.length >= 4 && popular.length >= 4 && osaDistance(element, popular, 1) === 1) return 'is one letter away from';
  return undefined;
}
