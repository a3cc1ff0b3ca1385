import type { CliCommand } from '../command';
import { AUDIT_SUMMARY, auditCommand } from './audit';
import { CHECK_ENV_SUMMARY, checkEnvCommand } from './checkEnv';
import { INSTALL_SUMMARY, installCommand } from './install';
import { SCAN_SUMMARY, scanCommand } from './scan';
import { VAULT_RECOVER_SUMMARY, vaultRecoverCommand } from './vaultRecover';

/** A subcommand as the top-level help lists it. */
export interface CommandEntry {
  run: CliCommand;
  summary: string;
}

/** Every subcommand by name. Adding one (install, audit, check-env) is one line here. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  scan: { run: scanCommand, summary: SCAN_SUMMARY },
  audit: { run: auditCommand, summary: AUDIT_SUMMARY },
  install: { run: installCommand, summary: INSTALL_SUMMARY },
  'check-env': { run: checkEnvCommand, summary: CHECK_ENV_SUMMARY },
  vault: { run: vaultRecoverCommand, summary: VAULT_RECOVER_SUMMARY },
};
