/**
 * Registry intelligence remembered per dependency line — (ecosystem, name, spec) — so the language server,
 * which asks on every edit, and the CLI, which asks once per manifest, never ask twice about a line that
 * did not change. Concurrent checks share in-flight look-ups; a look-up nobody waits for any more is aborted.
 */
import type { PackageCard } from '../intelligence/card';
import { isLookedUp, type NetworkIntelligence } from '../intelligence/networkFindings';
import type { Dependency, Finding, ParsedManifest } from '../model';

/** Runs the network checks for a manifest (networkIntelligence bound to clients and config). */
export type IntelligenceRunner = (manifest: ParsedManifest, signal: AbortSignal) => Promise<NetworkIntelligence>;

/** Findings and cards for one manifest, with the dependencies that offline mode left unchecked. */
export interface DependencyIntelligenceResult {
  findings: Finding[];
  /** Keyed `ecosystem:normalizedName`, as networkIntelligence keys them. */
  cards: Map<string, PackageCard>;
  /** Dependencies with no cached registry answer while offline (reported as a count, not one finding each). */
  offlineUnchecked: number;
}

/** How long answers are kept. */
export interface MemoOptions {
  /** A complete answer (default 10 minutes; the HTTP cache below keeps responses longer). */
  answerTtlMs?: number;
  /** An answer with `intelligence-unavailable` in it: retried sooner (default 1 minute). */
  failureTtlMs?: number;
  /** Most lines remembered; the oldest are dropped first (default 5000). */
  maxEntries?: number;
  now?: () => number;
}

interface StoredFinding {
  finding: Finding;
  /** Shown on the spec range rather than the name (a signal about the resolved version). */
  onSpec: boolean;
}

interface Answer {
  findings: StoredFinding[];
  card: PackageCard | undefined;
  expiresAt: number;
}

interface Batch {
  controller: AbortController;
  waiters: number;
  settled: boolean;
  done: Promise<void>;
  /** This batch's answers, kept for its waiters even if the shared memory has already dropped them. */
  answers: Map<string, Answer>;
}

const sameRange = (a: Finding['range'], b: Finding['range'] | undefined): boolean =>
  b !== undefined && a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** True for an `intelligence-unavailable` finding whose only reason is offline mode without a cached answer. */
export function isOfflineOnly(finding: Finding): boolean {
  if (finding.rule !== 'intelligence-unavailable') return false;
  const reasons = finding.data?.reasons;
  return Array.isArray(reasons) && reasons.length > 0 && reasons.every((r) => typeof r === 'string' && /offline mode/.test(r));
}

/** The card key networkIntelligence uses. */
export const cardKey = (dep: Pick<Dependency, 'ecosystem' | 'normalizedName'>): string => `${dep.ecosystem}:${dep.normalizedName}`;

/** Registry answers per dependency line, shared by every check that runs through one instance. */
export class DependencyIntelligence {
  private readonly answers = new Map<string, Answer>();
  private readonly pending = new Map<string, Batch>();
  private readonly answerTtlMs: number;
  private readonly failureTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly run: IntelligenceRunner,
    options: MemoOptions = {},
  ) {
    this.answerTtlMs = options.answerTtlMs ?? 10 * 60_000;
    this.failureTtlMs = options.failureTtlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** The remembered card of a dependency, fresh or not (hovers show what is known). */
  cardFor(dep: Dependency, manifest: Pick<ParsedManifest, 'registryOptions'>): PackageCard | undefined {
    return this.answers.get(lineKey(dep, manifest))?.card;
  }

  /** Whether a look-up of this dependency is under way. */
  isPending(dep: Dependency, manifest: Pick<ParsedManifest, 'registryOptions'>): boolean {
    return this.pending.has(lineKey(dep, manifest));
  }

  /**
   * Findings for every looked-up dependency of the manifest, on this manifest's ranges. Asks only about
   * lines with no fresh answer; rejects only when `signal` aborts.
   */
  async check(manifest: ParsedManifest, signal: AbortSignal): Promise<DependencyIntelligenceResult> {
    if (signal.aborted) throw signal.reason;
    const deps = manifest.dependencies.filter(isLookedUp);
    const now = this.now();
    const missing = new Map<string, Dependency>();
    const joined = new Set<Batch>();
    for (const dep of deps) {
      const key = lineKey(dep, manifest);
      const answer = this.answers.get(key);
      if (answer && answer.expiresAt > now) continue;
      const batch = this.pending.get(key);
      if (batch) joined.add(batch);
      else if (!missing.has(key)) missing.set(key, dep);
    }
    if (missing.size > 0) joined.add(this.startBatch(manifest, missing));
    await Promise.all([...joined].map((batch) => this.wait(batch, signal)));
    return this.assemble(manifest, deps, [...joined]);
  }

  /** What is known without asking: findings of the lines that have an answer, fresh or not (no flicker while typing). */
  peek(manifest: ParsedManifest): DependencyIntelligenceResult {
    return this.assemble(manifest, manifest.dependencies.filter(isLookedUp));
  }

  /** Forgets every answer (config or registries changed). In-flight look-ups finish for their waiters. */
  clear(): void {
    this.answers.clear();
  }

  private startBatch(manifest: ParsedManifest, missing: Map<string, Dependency>): Batch {
    const controller = new AbortController();
    const dependencies = [...missing.values()];
    const batch: Batch = { controller, waiters: 0, settled: false, done: Promise.resolve(), answers: new Map() };
    batch.done = (async () => {
      try {
        const result = await this.run({ ...manifest, dependencies }, controller.signal);
        this.store(manifest, dependencies, result, batch.answers);
      } finally {
        batch.settled = true;
        for (const key of missing.keys()) if (this.pending.get(key) === batch) this.pending.delete(key);
      }
    })();
    // Waiters see the outcome; this keeps an abandoned batch's rejection from going unhandled.
    batch.done.catch(() => undefined);
    for (const key of missing.keys()) this.pending.set(key, batch);
    return batch;
  }

  /** Waits for a batch as one of its waiters; the last waiter to leave aborts it. */
  private async wait(batch: Batch, signal: AbortSignal): Promise<void> {
    batch.waiters++;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        batch.done,
        new Promise<never>((_, reject) => {
          onAbort = () => reject(signal.reason);
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      batch.waiters--;
      if (batch.waiters === 0 && !batch.settled) batch.controller.abort(signal.reason);
    }
  }

  private store(manifest: ParsedManifest, dependencies: Dependency[], result: NetworkIntelligence, batchAnswers: Map<string, Answer>): void {
    const perDep = dependencies.map((): StoredFinding[] => []);
    for (const finding of result.findings) {
      const index = dependencies.findIndex((d) => d.name === finding.package && (sameRange(finding.range, d.nameRange) || sameRange(finding.range, d.specRange)));
      const dep = dependencies[index];
      if (!dep) continue;
      perDep[index]?.push({ finding, onSpec: !sameRange(finding.range, dep.nameRange) });
    }
    const now = this.now();
    for (const [index, dep] of dependencies.entries()) {
      const findings = perDep[index] ?? [];
      const failed = findings.some((f) => f.finding.rule === 'intelligence-unavailable');
      const key = lineKey(dep, manifest);
      // Offline with nothing cached: there is no card to show, only "not checked".
      const card = result.cards.get(cardKey(dep));
      const known = card && !(card.exists === 'unknown' && findings.some((f) => isOfflineOnly(f.finding)));
      const answer: Answer = { findings, card: known ? card : undefined, expiresAt: now + (failed ? this.failureTtlMs : this.answerTtlMs) };
      batchAnswers.set(key, answer);
      this.answers.delete(key); // re-insert at the end: the Map's order is the eviction order
      this.answers.set(key, answer);
    }
    while (this.answers.size > this.maxEntries) {
      const oldest = this.answers.keys().next();
      if (oldest.done) break;
      this.answers.delete(oldest.value);
    }
  }

  private assemble(manifest: ParsedManifest, deps: Dependency[], batches: Batch[] = []): DependencyIntelligenceResult {
    const findings: Finding[] = [];
    const cards = new Map<string, PackageCard>();
    let offlineUnchecked = 0;
    for (const dep of deps) {
      const key = lineKey(dep, manifest);
      const answer = this.answers.get(key) ?? batches.find((b) => b.answers.has(key))?.answers.get(key);
      if (!answer) continue;
      if (answer.card) cards.set(cardKey(dep), answer.card);
      for (const { finding, onSpec } of answer.findings) {
        if (isOfflineOnly(finding)) {
          offlineUnchecked++;
          continue;
        }
        const range = onSpec && dep.specRange ? dep.specRange : dep.nameRange;
        findings.push({ ...finding, package: dep.name, range, data: { ...finding.data, name: dep.name } });
      }
    }
    return { findings, cards, offlineUnchecked };
  }
}

/** A line's identity: what it asks for, and the indexes its manifest names (`--index-url`, Gemfile `source`). */
function lineKey(dep: Dependency, manifest: Pick<ParsedManifest, 'registryOptions'>): string {
  const indexes = (manifest.registryOptions ?? []).map((o) => `${o.option}=${o.value}`).join(' ');
  return `${dep.ecosystem}\u0000${dep.name}\u0000${dep.spec}\u0000${indexes}`;
}
