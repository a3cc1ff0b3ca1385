/** The ids of the commands the extension registers; package.json `contributes.commands` lists exactly these (a test checks). */
export const COMMAND_IDS = [
  'safeInstall.installPackage',
  'safeInstall.installManifest',
  'safeInstall.audit',
  'safeInstall.checkEnvironment',
  'safeInstall.scanWorkspace',
  'safeInstall.cancelInstall',
  'safeInstall.showLastReport',
  'safeInstall.explainStatus',
  'safeInstall.rerunInstall',
  'safeInstall.openRunReport',
  'safeInstall.revealExposureFile',
] as const;

