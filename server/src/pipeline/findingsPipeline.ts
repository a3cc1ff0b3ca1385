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
}

/** Receives the complete, current findings of a subject each time they grow. */
export type PublishFindings = (subject: CheckSubject, findings: readonly Finding[]) => void;

/**
 * Offline findings are published at once; each later stage republishes the union when it finishes.
 * Stages run concurrently and never block the offline result. A cancelled run publishes nothing more.
 */
export class FindingsPipeline {
  constructor(
    private readonly offline: (subject: CheckSubject) => Finding[],
    private readonly stages: readonly FindingStage[],
    private readonly publish: PublishFindings,
    private readonly onStageError: (stage: FindingStage, subject: CheckSubject, error: unknown) => void,
  ) {}

  async run(subject: CheckSubject, token: CancellationToken): Promise<void> {
    let findings: readonly Finding[] = this.offline(subject);
    if (token.isCancellationRequested) return;
    this.publish(subject, findings);
    await Promise.all(
      this.stages.map(async (stage) => {
        let more: Finding[];
        try {
          more = await stage.run(subject, token);
        } catch (error) {
          if (!token.isCancellationRequested) this.onStageError(stage, subject, error);
          return;
        }
        if (token.isCancellationRequested || more.length === 0) return;
        findings = [...findings, ...more];
        this.publish(subject, findings);
      }),
    );
  }
}
