import { LineIndex } from '../text/lineIndex';
import { rulesFor, type CapabilityFamily, type LineRule } from './rules';
import { escalate, severityRank, type SourceFinding, type SourceLanguage, type SourceMatch, type SourceSeverity } from './types';

/** One piece of text to scan: a file, or a command embedded in one (npm script, gyp command). */
export interface ScanTextInput {
  file: string;
  text: string;
  language: SourceLanguage;
  installTime: boolean;
  /** Bytes scanned: the first three quarters and the last quarter of this budget. */
  maxBytes: number;
  /** Where `text` starts inside `file` when it is embedded (0-based). */
  origin?: { line: number; character: number };
  package?: string;
}

const MAX_HITS_PER_RULE = 50;
const MAX_MATCHES_PER_FINDING = 20;
const CAPABILITY_EVIDENCE_PER_FAMILY = 2;

/** Hosts a legitimate installer downloads its own binaries from; a download-and-run from these alone is only noted. */
const PACKAGE_HOSTS = new Set([
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'github.com',
  'objects.githubusercontent.com',
  'codeload.github.com',
  'nodejs.org',
  'files.pythonhosted.org',
  'pypi.org',
  'static.crates.io',
  'crates.io',
  'rubygems.org',
]);

const CAPABILITY_REASON: Record<CapabilityFamily, string> = { network: 'uses the network', spawn: 'starts processes', 'file-read': 'reads files' };

interface Chunk {
  text: string;
  /** Lines before the chunk in the original text. */
  lineBase: number;
}

/** The head and tail of an oversized text, with the line number the tail starts at (counting is linear). */
function chunksOf(text: string, maxBytes: number): Chunk[] {
  if (text.length <= maxBytes) return [{ text, lineBase: 0 }];
  const headEnd = Math.floor(maxBytes * 0.75);
  const tailStart = text.length - Math.floor(maxBytes * 0.25);
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < tailStart; i = text.indexOf('\n', i + 1)) lines++;
  return [
    { text: text.slice(0, headEnd), lineBase: 0 },
    { text: text.slice(tailStart), lineBase: lines },
  ];
}

interface RuleHits {
  rule: LineRule;
  matches: SourceMatch[];
}

function toMatch(input: ScanTextInput, rule: LineRule, line: number, character: number, excerpt: string): SourceMatch {
  const origin = input.origin;
  const absLine = origin ? origin.line + line : line;
  const absCol = origin && line === 0 ? origin.character + character : character;
  return { rule: rule.id, line: absLine, column: absCol, reason: rule.reason, excerpt: excerpt.replace(/\s+/g, ' ').slice(0, 120) };
}

function collect(input: ScanTextInput): { byId: Map<string, RuleHits>; urls: string[] } {
  const byId = new Map<string, RuleHits>();
  const urls: string[] = [];
  for (const chunk of chunksOf(input.text, input.maxBytes)) {
    const index = new LineIndex(chunk.text);
    for (const rule of rulesFor(input.language)) {
      const hits = rule.find(chunk.text, MAX_HITS_PER_RULE);
      if (hits.length === 0) continue;
      const entry = byId.get(rule.id) ?? { rule, matches: [] };
      byId.set(rule.id, entry);
      const seenLines = new Set(entry.matches.map((m) => m.line));
      for (const hit of hits) {
        const pos = index.positionAt(hit.index);
        const match = toMatch(input, rule, chunk.lineBase + pos.line, pos.character, hit.text);
        // One match per line and rule is evidence enough; counting rules (minCount) keep them all.
        if (rule.minCount === undefined && seenLines.has(match.line)) continue;
        seenLines.add(match.line);
        entry.matches.push(match);
      }
    }
    for (const m of chunk.text.matchAll(/\bhttps?:\/\/([A-Za-z0-9.-]{1,253})/g)) {
      if (urls.length >= 200) break;
      // URLs in comment lines are references for the reader, not download targets.
      const lineStart = chunk.text.lastIndexOf('\n', m.index) + 1;
      if (/^[ \t]*(?:\/\/|#|\*|\/\*)/.test(chunk.text.slice(lineStart, Math.min(m.index, lineStart + 200)))) continue;
      urls.push((m[1] ?? '').toLowerCase());
    }
  }
  return { byId, urls };
}

function firstRange(matches: readonly SourceMatch[]): SourceFinding['range'] {
  const first = matches[0];
  const line = first?.line ?? 0;
  const character = first?.column ?? 0;
  return { start: { line, character }, end: { line, character: character + (first?.excerpt.length ?? 0) } };
}

function finding(
  input: ScanTextInput,
  rule: Pick<LineRule, 'id' | 'family'>,
  severity: SourceSeverity,
  steps: number,
  message: string,
  matches: SourceMatch[],
): SourceFinding {
  const result: SourceFinding = {
    rule: rule.id,
    family: rule.family,
    severity,
    file: input.file,
    message,
    range: firstRange(matches),
    matches,
    score: severityRank(severity) * 10 + steps * 2 + Math.min(matches.length, 5),
    installTime: input.installTime,
  };
  if (input.package !== undefined) result.package = input.package;
  return result;
}

/**
 * Scans one text with the rules of its language and scores the result: an indicator is raised one step
 * when a capability it pairs with (network, spawn, file read) is in the same file, and one more when the
 * file runs at install time. Every finding lists the lines that matched and the capability lines that raised it.
 */
export function scanText(input: ScanTextInput): SourceFinding[] {
  const { byId, urls } = collect(input);
  const capabilities = new Map<CapabilityFamily, SourceMatch[]>();
  const markers = new Map<string, SourceMatch[]>();
  for (const { rule, matches } of byId.values()) {
    if (rule.role === 'capability') capabilities.set(rule.family as CapabilityFamily, matches);
    else if (rule.role === 'marker') markers.set(rule.id, matches);
  }
  const findings: SourceFinding[] = [];
  const installStep = input.installTime ? 1 : 0;
  for (const { rule, matches } of byId.values()) {
    if (rule.role !== 'indicator') continue;
    if (rule.installTimeOnly && !input.installTime) continue;
    if (rule.minCount !== undefined && matches.length < rule.minCount) continue;
    const capabilityAllowed = !rule.escalateOnlyAtInstall || input.installTime;
    const escalators = capabilityAllowed ? (rule.escalateWith ?? []).filter((family) => capabilities.has(family)) : [];
    const partners = [...byId.values()].filter((other) => other.rule.role === 'indicator' && other.rule.id !== rule.id && (rule.escalateWithFamilies ?? []).includes(other.rule.family));
    const steps = (escalators.length > 0 || partners.length > 0 ? 1 : 0) + installStep;
    const evidence = [...matches.slice(0, MAX_MATCHES_PER_FINDING)];
    for (const family of escalators) evidence.push(...(capabilities.get(family) ?? []).slice(0, CAPABILITY_EVIDENCE_PER_FAMILY));
    for (const partner of partners) evidence.push(...partner.matches.slice(0, CAPABILITY_EVIDENCE_PER_FAMILY));
    let message = rule.reason;
    if (escalators.length > 0) message += `, in a file that also ${escalators.map((f) => CAPABILITY_REASON[f]).join(' and ')}`;
    if (partners.length > 0) message += `, next to ${partners.map((p) => p.rule.id).join(' and ')}`;
    if (input.installTime) message += input.language === 'pth' ? '; runs at every Python start' : '; runs at install time';
    findings.push(finding(input, rule, escalate(rule.severity, steps), steps, message, evidence));
  }
  const downloadExec = downloadThenExecute(input, capabilities, markers, urls, installStep);
  if (downloadExec) findings.push(downloadExec);
  if (input.installTime) {
    for (const [family, matches] of capabilities) {
      findings.push(finding(input, { id: `install-${family}`, family }, 'low', 0, `install-time code ${CAPABILITY_REASON[family]}`, matches.slice(0, 5)));
    }
  }
  return findings;
}

/** Network + "make executable" + spawn in one file: downloads a program and runs it. */
function downloadThenExecute(
  input: ScanTextInput,
  capabilities: Map<CapabilityFamily, SourceMatch[]>,
  markers: Map<string, SourceMatch[]>,
  urls: readonly string[],
  installStep: number,
): SourceFinding | undefined {
  const network = capabilities.get('network');
  const spawn = capabilities.get('spawn');
  const execBit = markers.get('exec-bit');
  if (!network || !spawn || !execBit) return undefined;
  // Installers of native tools (esbuild, sharp) fetch their binary from the registry or GitHub releases:
  // say so quietly; anything fetched from elsewhere, or from a computed URL, is a real warning.
  const knownHostsOnly = urls.length > 0 && urls.every((host) => PACKAGE_HOSTS.has(host));
  const base: SourceSeverity = knownHostsOnly ? 'low' : 'medium';
  const steps = knownHostsOnly ? 0 : installStep;
  const where = knownHostsOnly ? ' from a package registry or GitHub' : '';
  const message = `downloads a file${where}, makes it executable and runs it${input.installTime ? '; runs at install time' : ''}`;
  const evidence = [...execBit.slice(0, 3), ...network.slice(0, 2), ...spawn.slice(0, 2)].sort((a, b) => a.line - b.line);
  return finding(input, { id: 'download-exec-combo', family: 'download-exec' }, escalate(base, steps), steps, message, evidence);
}
