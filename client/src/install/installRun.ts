/**
 * The state of one sandboxed install as the editor shows it (tree view, terminal, status bar), built
 * from the progress events alone so it never needs the engine's internals. No `vscode` import: tested in Node.
 */
import type { Ecosystem } from '../../../shared/src/model';
import type { FindingEvent, SandboxEvent, SandboxPhase, VerdictEvent } from '../../../shared/src/protocol';

/** What the user asked for. */
export interface InstallRequest {
  ecosystem: Ecosystem;
  /** Package requests as typed (`requests==2.32.3`), or empty with `manifest` set. */
  packages: string[];
  /** Install every dependency of this manifest file instead. */
  manifest?: string;
  dryRun: boolean;
  /** Folder the install targets (its virtualenv, node_modules, …). */
  cwd: string;
}

/** Where a run is. Terminal states are the verdicts. */
export type RunState = 'queued' | 'running' | VerdictEvent['verdict'];

/** A phase row in the Installs view. */
export interface PhaseRow {
  phase: SandboxPhase;
  label: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  network?: string;
  ms?: number;
  detail?: string;
}

/** A package artifact the run fetched, built or installed. */
export interface ArtifactRow {
  name: string;
  version?: string;
  /** Latest package state (`fetched`, `built`, `verified`, `installed`, …). */
  state: string;
  sha256?: string;
  detail?: string;
}

/** Phase labels the way a person reads them (the vocabulary). */
export const PHASE_LABELS: Readonly<Record<SandboxPhase, string>> = {
  plan: 'planning',
  image: 'preparing image',
  fetch: 'fetching',
  build: 'building',
  'copy-out': 'copying',
  verify: 'verifying',
  install: 'installing',
};

const PHASE_ORDER: readonly SandboxPhase[] = ['plan', 'image', 'fetch', 'build', 'copy-out', 'verify', 'install'];
const MAX_LOG_LINES = 2000;
const SHA256 = /\b(?:sha256[:=]\s*)?([0-9a-f]{64})\b/i;

/** True once a run can no longer change. */
export function isFinished(state: RunState): boolean {
  return state !== 'queued' && state !== 'running';
}

/** One install run; `apply` folds events in, listeners hear every change. */
export class InstallRun {
  state: RunState = 'queued';
  readonly phases: PhaseRow[] = [];
  readonly artifacts = new Map<string, ArtifactRow>();
  readonly findings: FindingEvent[] = [];
  readonly log: string[] = [];
  verdictMessage: string | undefined;
  /** The final JSON report, when the command printed one. */
  report: Record<string, unknown> | undefined;
  readonly startedAt: number;
  finishedAt: number | undefined;
  private readonly listeners = new Set<(run: InstallRun, event?: SandboxEvent) => void>();

  constructor(readonly id: string, readonly request: InstallRequest, now: number = Date.now()) {
    this.startedAt = now;
  }

  /** Short title: `npm left-pad@1.3.0` or `PyPI requirements.txt`. */
  get title(): string {
    const what = this.request.packages.length > 0 ? this.request.packages.join(' ') : (this.request.manifest ?? '');
    return `${this.request.ecosystem} ${what}${this.request.dryRun ? ' (dry run)' : ''}`;
  }

  /** The phase running now, if any. */
  get currentPhase(): PhaseRow | undefined {
    return this.phases.find((p) => p.state === 'running');
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (run: InstallRun, event?: SandboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks the run started (the child process is up). */
  start(): void {
    if (this.state === 'queued') {
      this.state = 'running';
      this.emit();
    }
  }

  /** Folds one progress event into the state. */
  apply(event: SandboxEvent): void {
    if (isFinished(this.state) && event.type !== 'log') return;
    if (this.state === 'queued') this.state = 'running';
    switch (event.type) {
      case 'phase': {
        const row = this.phaseRow(event.phase);
        row.state = event.state === 'start' ? 'running' : event.state === 'end' ? 'done' : event.state;
        if (event.network !== undefined) row.network = event.network;
        if (event.ms !== undefined) row.ms = event.ms;
        if (event.detail !== undefined) row.detail = event.detail;
        break;
      }
      case 'package': {
        const key = `${event.name}@${event.version ?? ''}`;
        const row = this.artifacts.get(key) ?? { name: event.name, state: event.state };
        if (event.version !== undefined) row.version = event.version;
        row.state = event.state;
        if (event.detail !== undefined) {
          row.detail = event.detail;
          const hash = SHA256.exec(event.detail)?.[1];
          if (hash) row.sha256 = hash.toLowerCase();
        }
        this.artifacts.set(key, row);
        break;
      }
      case 'finding':
        this.findings.push(event);
        break;
      case 'log':
        this.pushLog(event.line);
        break;
      case 'verdict':
        // One change notification for the verdict: the one below, carrying the event.
        this.settle(event.verdict, event.message, Date.now());
        break;
      case 'bytes':
        break;
    }
    this.emit(event);
  }

  /** Attaches the final report and reads artifact hashes from it. */
  setReport(report: Record<string, unknown>): void {
    this.report = report;
    for (const artifact of artifactsInReport(report)) {
      const key = `${artifact.name}@${artifact.version ?? ''}`;
      const row = this.artifacts.get(key) ?? [...this.artifacts.values()].find((a) => a.name === artifact.name && (a.version === undefined || artifact.version === undefined));
      if (row) {
        row.sha256 ??= artifact.sha256;
        row.version ??= artifact.version;
      } else {
        this.artifacts.set(key, artifact);
      }
    }
    this.emit();
  }

  /** Adds a line of plain output (stderr or a non-JSON line). */
  pushLog(line: string): void {
    this.log.push(line);
    if (this.log.length > MAX_LOG_LINES) this.log.splice(0, this.log.length - MAX_LOG_LINES);
  }

  /** Ends the run; later verdicts are ignored. A running phase is marked failed (or left as cancelled). */
  finish(state: VerdictEvent['verdict'], message: string, now: number = Date.now()): void {
    if (this.settle(state, message, now)) this.emit();
  }

  private settle(state: VerdictEvent['verdict'], message: string, now: number): boolean {
    if (isFinished(this.state)) return false;
    this.state = state;
    this.verdictMessage = message;
    this.finishedAt = now;
    for (const row of this.phases) {
      if (row.state === 'running') row.state = state === 'installed' || state === 'dry-run' ? 'done' : 'failed';
    }
    return true;
  }

  private phaseRow(phase: SandboxPhase): PhaseRow {
    let row = this.phases.find((p) => p.phase === phase);
    if (!row) {
      row = { phase, label: PHASE_LABELS[phase], state: 'pending' };
      this.phases.push(row);
      this.phases.sort((a, b) => PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase));
    }
    return row;
  }

  private emit(event?: SandboxEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(this, event);
      } catch {
        // One broken view must not stop the others from updating.
      }
    }
  }
}

/** Artifacts listed in a report, whatever the report's exact shape (`artifacts: [{ name, version, sha256 }]`). */
export function artifactsInReport(report: Record<string, unknown>): ArtifactRow[] {
  const out: ArtifactRow[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const v = value as Record<string, unknown>;
    // The install report: packages[] with name, version and artifacts[] of { file, sha256 }.
    if (typeof v.name === 'string' && Array.isArray(v.artifacts)) {
      for (const artifact of v.artifacts as unknown[]) {
        const a = artifact as Record<string, unknown> | null;
        if (!a || typeof a.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(a.sha256)) continue;
        const row: ArtifactRow = { name: v.name, state: 'verified', sha256: a.sha256.toLowerCase() };
        if (typeof v.version === 'string') row.version = v.version;
        if (typeof a.file === 'string') row.detail = a.file;
        out.push(row);
      }
      return;
    }
    const hash = typeof v.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(v.sha256) ? v.sha256.toLowerCase() : undefined;
    const name = typeof v.name === 'string' ? v.name : typeof v.file === 'string' ? v.file : undefined;
    if (hash && name) {
      const row: ArtifactRow = { name, state: 'verified', sha256: hash };
      if (typeof v.version === 'string') row.version = v.version;
      if (typeof v.file === 'string' && v.file !== name) row.detail = v.file;
      out.push(row);
      return;
    }
    for (const child of Object.values(v)) visit(child, depth + 1);
  };
  visit(report, 0);
  return out;
}
