/**
 * Verification of what came out of the sandbox, before anything is installed: the scanner runs over
 * every artifact, `.pth` files (code at every Python start) and install scripts are listed, and the
 * verdict says whether a critical finding must stop the install.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DirectorySource, inspectArchive, inspectSource, readArchive, type SourceFinding } from '../inspect/index';
import type { SandboxOutcome } from './plans/types';
import type { FindingEvent, ProgressSink } from './progress';

/** A `.pth` file inside a wheel: runs at every interpreter start when it has an `import` line. */
export interface PthFile {
  package: string;
  file: string;
  /** Has a line starting with `import` (executed by site.py). */
  executes: boolean;
}

/** What verification found. */
export interface VerifyReport {
  findings: FindingEvent[];
  pthFiles: PthFile[];
  /** Any critical finding (the install stops unless the user confirms). */
  critical: boolean;
}

function toEvent(outcome: SandboxOutcome, pkg: string, f: SourceFinding): FindingEvent {
  return { type: 'finding', ecosystem: outcome.ecosystem, package: pkg, severity: f.severity, rule: f.rule, file: f.file, message: f.message };
}

/** Scans every artifact of the outcome; reports findings as progress events too. */
export async function verifyOutcome(outcome: SandboxOutcome, progress: ProgressSink, signal?: AbortSignal): Promise<VerifyReport> {
  const findings: FindingEvent[] = [];
  const pthFiles: PthFile[] = [];
  for (const artifact of outcome.artifacts) {
    const location = path.join(outcome.copied.dir, ...artifact.path.split('/'));
    let found: SourceFinding[] = [];
    if (artifact.format === 'dir') {
      const installTimeFiles = outcome.scripts.some((s) => s.name === artifact.package) ? ['package.json'] : [];
      // Nested node_modules are other packages, scanned as their own artifacts.
      found = await inspectSource(new DirectorySource(location, { skip: new Set(['node_modules', '.git']) }), { package: artifact.package, fromRegistry: true, installTimeFiles, ...(signal ? { signal } : {}) });
    } else {
      const bytes = await readFile(location);
      const format = artifact.format === 'crate' ? 'crate' : artifact.format;
      found = await inspectArchive(bytes, format, { package: artifact.package, ...(signal ? { signal } : {}) });
      if (artifact.format === 'wheel') {
        const contents = await readArchive(bytes, 'wheel');
        for (const [name, data] of contents.files) {
          if (!name.endsWith('.pth') || name.includes('/')) continue;
          const text = Buffer.from(data).toString('utf8');
          pthFiles.push({ package: artifact.package, file: name, executes: /^\s*import[\s\t]/m.test(text) });
        }
      }
    }
    for (const f of found) {
      const event = toEvent(outcome, artifact.package, f);
      findings.push(event);
      progress(event);
    }
    progress({ type: 'package', ecosystem: outcome.ecosystem, name: artifact.package, version: artifact.version, state: 'verified', detail: found.length > 0 ? `${found.length} findings` : 'clean' });
  }
  return { findings, pthFiles, critical: findings.some((f) => f.severity === 'critical') };
}
