import type { CancellationToken } from 'vscode-languageserver';
import type { Finding } from '../../../shared/src/model';
import type { RegistryIntelligence } from '../engine/serverEngine';
import type { CheckSubject, FindingStage } from '../pipeline/findingsPipeline';

/** Finds the intelligence for a subject: built on demand (`get`) or only if already there (`peek`). */
export interface IntelligenceSource {
  get(subject: CheckSubject): Promise<RegistryIntelligence | undefined>;
  peek(subject: CheckSubject): RegistryIntelligence | undefined;
}

/** An AbortSignal that aborts when the token is cancelled; `dispose` stops listening. */
export function abortSignalFor(token: CancellationToken): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

/**
 * The registry look-ups as a pipeline stage: after the offline findings are out, asks the registries and
 * OSV about lines with no remembered answer, and is cancelled with the check (a newer edit) — look-ups
 * that no check waits for any more are aborted. Registry checks switched off return nothing.
 */
export function registryStage(source: IntelligenceSource): FindingStage {
  const enabled = (subject: CheckSubject): boolean => subject.config.intelligence?.enabled !== false;
  return {
    id: 'registry',
    peek(subject) {
      if (!enabled(subject)) return [];
      return source.peek(subject)?.peek(subject.manifest).findings ?? [];
    },
    async run(subject, token): Promise<Finding[]> {
      if (!enabled(subject) || subject.manifest.dependencies.length === 0) return [];
      const intelligence = await source.get(subject);
      if (!intelligence || token.isCancellationRequested) return [];
      const { signal, dispose } = abortSignalFor(token);
      try {
        return (await intelligence.check(subject.manifest, signal)).findings;
      } catch (error) {
        if (token.isCancellationRequested) return [];
        throw error;
      } finally {
        dispose();
      }
    },
  };
}
