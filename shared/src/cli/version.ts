import packageJson from '../../../package.json';

/** The version printed by `--version` and written into SARIF logs (the package's own). */
export const CLI_VERSION: string = packageJson.version;
