import type { CancellationToken } from 'vscode-languageserver';
import type { SafeInstallConfig } from '../../../shared/src/config/schema';
import type { Finding, ManifestKind, ParsedManifest } from '../../../shared/src/model';
import type { TyposquatDetector } from '../../../shared/src/typosquat/detector';

/** One document, parsed, with the settings that apply to it: the input of every check. */
export interface CheckSubject {
  uri: string;
  /** File-system path when the document is a file, else the URI's path (for include resolution). */
  filePath: string | undefined;
  kind: ManifestKind;
  version: number;
  text: string;
  manifest: ParsedManifest;
  config: SafeInstallConfig;
  /** The popular-name index (memoised per name). */
  typosquat: TyposquatDetector;
}

/**
 * A check that takes time (registry look-ups, following includes). It runs after the offline
 * findings are already published and adds its own; it must honour `token` after every await.
 */
export interface FindingStage {
  readonly id: string;
  run(subject: CheckSubject, token: CancellationToken): Promise<Finding[]>;
  /**
   * What the stage already knows without waiting (remembered answers), published with the offline
   * findings so earlier results do not blink out on every edit; `run`'s result replaces it.
   */
  peek?(subject: CheckSubject): Finding[];
}

/** Receives the complete, current findings of a subject each time they grow. */
export type PublishFindings = (subject: CheckSubject, findings: readonly Finding[]) => void;

/**
 * Offline findings (plus what stages already know) are published at once; each stage republishes the
 * union when it finishes, its result replacing what it knew before. Stages run concurrently and never
 * block the offline result. A cancelled run publishes nothing more.
 */
export class FindingsPipeline {
  constructor(
    private readonly offline: (subject: CheckSubject) => Finding[],
    private readonly stages: readonly FindingStage[],
    private readonly publish: PublishFindings,
    private readonly onStageError: (stage: FindingStage, subject: CheckSubject, error: unknown) => void,
  ) {}

  async run(subject: CheckSubject, token: CancellationToken): Promise<void> {
    const base = this.offline(subject);
    const parts = new Map<FindingStage, readonly Finding[]>();
    for (const stage of this.stages) {
      try {
        const known = stage.peek?.(subject) ?? [];
        if (known.length > 0) parts.set(stage, known);
      } catch (error) {
        this.onStageError(stage, subject, error);
      }
    }
    const union = (): Finding[] => [...base, ...[...parts.values()].flat()];
    if (token.isCancellationRequested) return;
    this.publish(subject, union());
    await Promise.all(
      this.stages.map(async (stage) => {
        let more: Finding[];
        try {
          more = await stage.run(subject, token);
        } catch (error) {
          if (!token.isCancellationRequested) this.onStageError(stage, subject, error);
          return;
        }
        if (token.isCancellationRequested) return;
        const before = parts.get(stage) ?? [];
        // Nothing new (typically: the remembered answers were still right): no second publish.
        if (more.length === before.length && JSON.stringify(more) === JSON.stringify(before)) return;
        parts.set(stage, more);
        this.publish(subject, union());
      }),
    );
  }
}
