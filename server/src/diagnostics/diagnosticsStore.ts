import type { Diagnostic } from 'vscode-languageserver';

/** Sends one file's complete diagnostics to the client. */
export type SendDiagnostics = (uri: string, diagnostics: Diagnostic[]) => void;

/**
 * Diagnostics of one file can come from several owners: the file's own check, a requirements file
 * that includes it, the config loader. Each owner replaces only its own share; a file is republished
 * with the union whenever a share changes, and cleared when no owner reports on it any more.
 */
export class DiagnosticsStore {
  private readonly byTarget = new Map<string, Map<string, Diagnostic[]>>();
  private readonly targetsByOwner = new Map<string, Set<string>>();

  constructor(private readonly send: SendDiagnostics) {}

  /** Replaces everything `owner` reports; `perTarget` maps file URIs to that owner's diagnostics. */
  set(owner: string, perTarget: ReadonlyMap<string, Diagnostic[]>): void {
    const previous = this.targetsByOwner.get(owner) ?? new Set<string>();
    const touched = new Set<string>([...previous, ...perTarget.keys()]);
    for (const target of previous) {
      if (!perTarget.has(target)) this.byTarget.get(target)?.delete(owner);
    }
    for (const [target, diagnostics] of perTarget) {
      let owners = this.byTarget.get(target);
      if (!owners) {
        owners = new Map();
        this.byTarget.set(target, owners);
      }
      owners.set(owner, diagnostics);
    }
    if (perTarget.size > 0) this.targetsByOwner.set(owner, new Set(perTarget.keys()));
    else this.targetsByOwner.delete(owner);
    for (const target of touched) this.flush(target);
  }

  /** Withdraws everything `owner` reported. */
  clear(owner: string): void {
    this.set(owner, new Map());
  }

  /** The merged diagnostics currently published for `target`. */
  get(target: string): Diagnostic[] {
    return this.merged(target);
  }

  private flush(target: string): void {
    const merged = this.merged(target);
    if (merged.length === 0 && this.byTarget.get(target)?.size === 0) this.byTarget.delete(target);
    this.send(target, merged);
  }

  private merged(target: string): Diagnostic[] {
    const owners = this.byTarget.get(target);
    if (!owners) return [];
    if (owners.size === 1) return [...owners.values()][0] ?? [];
    // The same line can be reported by the file itself and by a file including it: show it once.
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const diagnostics of owners.values()) {
      for (const d of diagnostics) {
        const key = `${String(d.code)}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(d);
      }
    }
    return out;
  }
}
