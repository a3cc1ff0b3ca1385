// Typosquat index benchmark: load and build cost, memory, and lookups against the full shipped lists,
// index vs brute force (fastest-levenshtein), with an exact check that both give the same answers.
// Run: npm run bench -- typosquat   or   node --import tsx test/bench/typosquat.bench.ts
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { distance } from 'fastest-levenshtein';
import { normalizeName } from '../../shared/src/normalize';
import type { Ecosystem } from '../../shared/src/model';
import { ECOSYSTEMS } from '../../shared/src/model';
import { readPopularList } from '../../shared/src/typosquat/loadDetector';
import { createTyposquatDetector, DEFAULT_OPTIONS } from '../../shared/src/typosquat/createDetector';
import { isAdjacentSwap, osaDistance } from '../../shared/src/typosquat/osa';
import type { PopularList } from '../../shared/src/typosquat/popularList';

const dataDir = path.resolve(__dirname, '..', '..', 'shared', 'data', 'popular');
const QUERIES_PER_ECOSYSTEM = 1000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Deterministic generator so every run measures the same queries. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x ^ (x >>> 15), 2246822519) + 374761393) >>> 0) / 2 ** 32);
}

/** A mix: a third real-style typos of anchors (drop, add, swap, substitute), a third random names, a third popular names. */
function querySet(names: string[], anchorCount: number, random: () => number): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz-';
  const pick = (n: number) => names[Math.floor(random() * n)]!;
  const out: string[] = [];
  while (out.length < QUERIES_PER_ECOSYSTEM) {
    const kind = out.length % 3;
    if (kind === 0) {
      const a = pick(anchorCount);
      if (a.startsWith('@') || a.length < 4) continue;
      const i = Math.floor(random() * a.length);
      const c = letters[Math.floor(random() * 26)]!;
      const op = Math.floor(random() * 4);
      out.push(
        op === 0 ? a.slice(0, i) + a.slice(i + 1)
        : op === 1 ? a.slice(0, i) + c + a.slice(i)
        : op === 2 && i + 1 < a.length ? a.slice(0, i) + a[i + 1] + a[i] + a.slice(i + 2)
        : a.slice(0, i) + c + a.slice(i + 1),
      );
    } else if (kind === 1) {
      let s = '';
      const len = 4 + Math.floor(random() * 14);
      for (let k = 0; k < len; k++) s += letters[Math.floor(random() * letters.length)];
      out.push(s);
    } else {
      out.push(pick(names.length));
    }
  }
  return out;
}

/**
 * Brute force over every anchor in popularity order with fastest-levenshtein, answering the same question
 * as the index: the most popular anchor at one edit (a swap counts one; both names 4+ characters) or at
 * two edits (both names 12+). Levenshtein never undercounts OSA and at most doubles it, which makes the
 * filter exact: lev ≤ 1 is OSA ≤ 1; lev = 2 is OSA 1 only for a swap; lev ≤ 4 needs the OSA check for long names.
 */
function bruteForceNearest(query: string, anchors: readonly string[], minOne: number, minTwo: number): number {
  if (query.length < minOne) return -1;
  for (let id = 0; id < anchors.length; id++) {
    const a = anchors[id]!;
    if (a.length < minOne || a.startsWith('@')) continue;
    const lev = distance(query, a);
    if (lev === 0) continue;
    if (lev === 1) return id;
    if (lev === 2 && isAdjacentSwap(query, a)) return id;
    if (lev <= 4 && query.length >= minTwo && a.length >= minTwo && osaDistance(query, a, 2) === 2) return id;
  }
  return -1;
}

/** Process CPU time of `fn` in ms: steadier than wall time when the machine is shared. */
function cpuIt(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function timeIt(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; popular lists from shared/data/popular`);
  const lists: Partial<Record<Ecosystem, PopularList>> = {};
  let loadTotal = 0;
  for (const e of ECOSYSTEMS) {
    const t = performance.now();
    lists[e] = await readPopularList(dataDir, e);
    const ms = performance.now() - t;
    loadTotal += ms;
    console.log(`load ${e.padEnd(9)} ${String(lists[e]!.names.length).padStart(6)} names  ${ms.toFixed(1)} ms (read + gunzip + parse)`);
  }
  console.log(`load total ${loadTotal.toFixed(1)} ms`);

  // Memory: each ecosystem's index built alone and kept, heap measured after full collections.
  const memory: string[] = [];
  const kept: unknown[] = [];
  const before = heapMiB();
  let last = before;
  for (const e of ECOSYSTEMS) {
    kept.push(createTyposquatDetector({ [e]: lists[e] }).prepareAll());
    const now = heapMiB();
    memory.push(`${e} ${(now - last).toFixed(1)}`);
    last = now;
  }
  console.log(`index memory (MiB): ${memory.join(', ')}; all ${(last - before).toFixed(1)} MiB`);
  kept.length = 0;

  const builds: number[] = [];
  for (let i = 0; i < 3; i++) builds.push(timeIt(() => void createTyposquatDetector(lists).prepareAll()));
  console.log(`build all indexes: ${builds.map((b) => b.toFixed(0)).join(' / ')} ms (three runs)`);
  const perEcosystem = ECOSYSTEMS.map((e) => {
    const build = () => void createTyposquatDetector({ [e]: lists[e] }).prepareAll();
    return `${e} ${timeIt(build).toFixed(0)} ms (cpu ${cpuIt(build).toFixed(0)} ms)`;
  });
  console.log(`build per ecosystem, wall (cpu): ${perEcosystem.join(', ')}`);
  console.log(`machine: load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cpus (wall times grow with it, cpu times much less)`);
  const detector = createTyposquatDetector(lists).prepareAll();

  let mismatches = 0;
  const random = rng(20261201);
  for (const e of ['npm', 'PyPI'] as const) {
    const names = lists[e]!.names.map((n) => normalizeName(e, n));
    const options = DEFAULT_OPTIONS[e];
    const anchors = names.slice(0, options.anchorCount);
    const index = detector.index(e)!;
    const queries = querySet(names, anchors.length, random).map((q) => normalizeName(e, q));
    // The machine is shared, so the two methods are timed interleaved, chunk by chunk, to see the same load;
    // the index (microseconds a lookup) repeats each chunk five times and keeps the best.
    const nearest = (q: string) => index.nearestAnchor(q);
    const brute = (q: string) => bruteForceNearest(q, anchors, options.minLengthOneEdit, options.minLengthTwoEdits);
    queries.forEach(nearest);
    queries.slice(0, 50).forEach(brute); // warm-up for both
    const viaIndex: number[] = [];
    const viaBrute: number[] = [];
    let indexMs = 0;
    let bruteMs = 0;
    let checkMs = 0;
    for (let start = 0; start < queries.length; start += 50) {
      const chunk = queries.slice(start, start + 50);
      let answers: number[] = [];
      indexMs += Math.min(...[0, 1, 2, 3, 4].map(() => timeIt(() => (answers = chunk.map(nearest)))));
      viaIndex.push(...answers);
      bruteMs += timeIt(() => (answers = chunk.map(brute)));
      viaBrute.push(...answers);
      checkMs += Math.min(...[0, 1, 2, 3, 4].map(() => timeIt(() => chunk.forEach((q) => detector.check(e, q)))));
    }
    let same = 0;
    queries.forEach((q, i) => {
      if (viaIndex[i] === viaBrute[i]) same++;
      else if (mismatches++ < 10) console.log(`  MISMATCH ${e} '${q}': index ${anchors[viaIndex[i]!] ?? '-'} brute ${anchors[viaBrute[i]!] ?? '-'}`);
    });
    const found = viaIndex.filter((id) => id >= 0).length;
    const per1k = (ms: number) => (ms * 1000) / queries.length;
    console.log(
      `${e}: ${queries.length} queries over ${anchors.length} anchors (${names.length} names); ${found} have a near anchor\n` +
        `  nearest anchor, index:       ${per1k(indexMs).toFixed(2)} ms / 1,000 lookups\n` +
        `  nearest anchor, brute force: ${per1k(bruteMs).toFixed(1)} ms / 1,000 lookups\n` +
        `  speed-up ${(bruteMs / indexMs).toFixed(0)}x (target ≥ 50x); same answers: ${same}/${queries.length}\n` +
        `  full check() with every rule: ${per1k(checkMs).toFixed(2)} ms / 1,000 lookups`,
    );
  }
  if (mismatches > 0) {
    console.log(`FAIL: ${mismatches} answers differ between index and brute force`);
    process.exitCode = 1;
  }
}

void main();
