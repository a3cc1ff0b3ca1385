import os from 'node:os';
import { recoverVault } from '../vault/index';
import type { CliIo } from './command';

/**
 * Puts back credential files that a killed unsandboxed install left in the vault, before any command runs,
 * and says so on stderr. A failure here is reported but never stops the command the user asked for.
 * The language server calls it too, with `stderr` writing to its connection console.
 */
export async function recoverVaultAtStartup(io: Pick<CliIo, 'stderr' | 'env'>): Promise<void> {
  try {
    const report = await recoverVault({ homeDir: os.homedir(), env: io.env });
    if (report.status === 'recovered') {
      io.stderr(`safe-install: restored ${report.outcomes.length} credential path(s) an interrupted install had hidden.\n`);
      for (const aside of report.aside) io.stderr(`safe-install: a newer file was kept at ${aside}; the original is beside it (.safe-install-restored-*).\n`);
    }
    for (const error of report.errors) io.stderr(`safe-install: vault recovery: ${error}\n`);
  } catch (error) {
    io.stderr(`safe-install: vault recovery failed: ${error instanceof Error ? error.message : String(error)} (run 'safe-install vault recover')\n`);
  }
}
