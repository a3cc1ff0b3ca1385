/** The credential vault (last-resort protection for unsandboxed installs) and the bubblewrap sandbox builder. */
export { withCredentialsHidden, type VaultReport, type VaultRun, type HiddenContext } from './withCredentialsHidden';
export { recoverVault, type RecoverReport } from './recover';
export { VaultBusyError, isProcessAlive } from './lock';
export { defaultStateDir, type VaultOptions, type VaultStep } from './options';
export { filterChildEnvironment } from './envFilter';
export { bwrapArgs, collectBwrapMasks, DOCKER_SOCKETS, type BwrapOptions, type MaskedPath } from './bwrap';
export { nodeVaultFileSystem, type VaultFileSystem } from './vaultFs';
