import { offlineFindings } from '../../../shared/src/engine/offlineFindings';
import type { TextFileReader } from '../../../shared/src/io';
import type { Finding } from '../../../shared/src/model';
import type { ServerEngine } from '../engine/serverEngine';
import type { FindingStage } from './findingsPipeline';

/** Told which files a requirements document includes, so edits to them re-check it. */
export type IncludesSeen = (filePath: string, included: string[]) => void;

/**
 * Follows `-r`/`-c` includes of a requirements document and checks the included files offline.
 * Their findings carry `file`, so they are published on the included file, not on this one.
 */
export function includesStage(engine: ServerEngine, reader: TextFileReader, seen: IncludesSeen): FindingStage {
  return {
    id: 'includes',
    async run(subject, token) {
      if (subject.kind !== 'requirements' || !subject.filePath || !subject.manifest.includes?.length) return [];
      const tree = await engine.resolveIncludes(subject.filePath, subject.text, reader);
      if (token.isCancellationRequested) return [];
      seen(subject.filePath, tree.included.map((inc) => inc.filePath));
      const findings: Finding[] = tree.rootErrors.map((error) => ({
        rule: 'parse-error',
        severity: 'error',
        message: error.message,
        ecosystem: subject.manifest.ecosystem,
        package: '',
        range: error.range,
      }));
      for (const inc of tree.included) {
        for (const finding of offlineFindings(inc.manifest, { typosquat: subject.typosquat, config: subject.config })) {
          findings.push({ ...finding, file: finding.file ?? inc.filePath });
        }
      }
      return findings;
    },
  };
}
