/** The long-lived parts of the extension that commands and views share (one owner, disposed together). */
import type { OutputChannel, TreeView } from 'vscode';
import type { CliLocation } from './cli/cliProcess';
import type { ExposureService } from './exposure/exposureService';
import type { InstallManager } from './install/installManager';
import type { ReportDocuments } from './report/reportDocuments';
import type { SafeInstallStatusBar } from './statusBar';
import type { InstallsNode } from './views/installsTree';

/** What commands need. */
export interface Services {
  cli: CliLocation;
  installs: InstallManager;
  exposure: ExposureService;
  statusBar: SafeInstallStatusBar;
  reports: ReportDocuments;
  output: OutputChannel;
  installsView: TreeView<InstallsNode>;
  trusted(): boolean;
  /** Environment for CLI children. */
  env(): NodeJS.ProcessEnv;
}
