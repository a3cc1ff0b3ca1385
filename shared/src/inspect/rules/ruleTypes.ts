import type { RuleFamily, SourceLanguage, SourceSeverity } from '../types';

/**
 * capability: something code can do (network, spawn, file read); reported alone only in install-time files.
 * indicator: a threat sign, reported at its own severity and raised when a capability meets it in the same file.
 * marker: evidence only other rules consume (e.g. "makes a file executable").
 */
export type RuleRole = 'capability' | 'indicator' | 'marker';

/** The capability families that can raise an indicator. */
export type CapabilityFamily = 'network' | 'spawn' | 'file-read';

/** A place in the scanned text where a rule matched. */
export interface TextHit {
  index: number;
  text: string;
}

/** Finds hits in text; must run in time linear in text.length (bounded quantifiers only). */
export type HitFinder = (text: string, maxHits: number) => TextHit[];

/** One detection rule applied to the text of a file. */
export interface LineRule {
  id: string;
  family: RuleFamily;
  role: RuleRole;
  /** Severity when the indicator stands alone in an ordinary file. Ignored for capabilities and markers. */
  severity: SourceSeverity;
  /** Languages the rule applies to; 'any' covers everything scanned as code (strings carry shell commands). */
  languages: readonly SourceLanguage[] | 'any';
  reason: string;
  find: HitFinder;
  /** Reported only when the file holds at least this many hits (e.g. many `_0x` identifiers). */
  minCount?: number;
  /** A capability of one of these families in the same file raises the severity one step. */
  escalateWith?: readonly CapabilityFamily[];
  /** Capability escalation only in install-time files (SDKs read credentials and use the network at run time). */
  escalateOnlyAtInstall?: boolean;
  /** Another indicator of one of these families in the same file raises the severity one step (secret + destination). */
  escalateWithFamilies?: readonly RuleFamily[];
  /** Only reported in files that run at install time. */
  installTimeOnly?: boolean;
}

/** Every hit of a global regex, at most `maxHits`. The regex must carry the g flag. */
export function regexFinder(pattern: RegExp): HitFinder {
  if (!pattern.global) throw new Error(`rule pattern needs the g flag: ${pattern.source}`);
  return (text, maxHits) => {
    const hits: TextHit[] = [];
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while (hits.length < maxHits && (match = pattern.exec(text)) !== null) {
      hits.push({ index: match.index, text: match[0] });
      if (match[0].length === 0) pattern.lastIndex++;
    }
    pattern.lastIndex = 0;
    return hits;
  };
}

/** Hits where `a` and `b` both match within `distance` characters of each other (either order). */
export function nearFinder(a: RegExp, b: RegExp, distance: number): HitFinder {
  const findA = regexFinder(a);
  const findB = regexFinder(b);
  return (text, maxHits) => {
    // Bounded candidate lists keep this linear; a file with thousands of candidates is itself suspicious enough.
    const as = findA(text, 2000);
    if (as.length === 0) return [];
    const bs = findB(text, 2000);
    const hits: TextHit[] = [];
    let j = 0;
    for (const hitA of as) {
      while (j < bs.length && (bs[j]?.index ?? 0) < hitA.index - distance) j++;
      const hitB = bs[j];
      if (hitB !== undefined && Math.abs(hitB.index - hitA.index) <= distance) {
        const start = Math.min(hitA.index, hitB.index);
        const end = Math.max(hitA.index + hitA.text.length, hitB.index + hitB.text.length);
        hits.push({ index: start, text: text.slice(start, Math.min(end, start + 120)) });
        if (hits.length >= maxHits) break;
      }
    }
    return hits;
  };
}

/** Keeps only the hits `accept` approves (e.g. a public IP in a URL). */
export function filteredFinder(pattern: RegExp, accept: (match: RegExpExecArray) => boolean): HitFinder {
  if (!pattern.global) throw new Error(`rule pattern needs the g flag: ${pattern.source}`);
  return (text, maxHits) => {
    const hits: TextHit[] = [];
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    let tried = 0;
    while (hits.length < maxHits && tried++ < 10_000 && (match = pattern.exec(text)) !== null) {
      if (accept(match)) hits.push({ index: match.index, text: match[0] });
      if (match[0].length === 0) pattern.lastIndex++;
    }
    pattern.lastIndex = 0;
    return hits;
  };
}
