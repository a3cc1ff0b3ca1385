/** Theme icons shared by the views: severities and run states, coloured by the theme. */
import { ThemeColor, ThemeIcon } from 'vscode';
import type { ExposureSeverity } from '../../../shared/src/exposure/types';
import type { PhaseRow, RunState } from '../install/installRun';

/** The icon of an exposure or finding severity. */
export function severityIcon(severity: ExposureSeverity | 'error' | 'warning' | 'information' | 'hint'): ThemeIcon {
  switch (severity) {
    case 'critical':
    case 'high':
    case 'error':
      return new ThemeIcon('error', new ThemeColor('list.errorForeground'));
    case 'medium':
    case 'warning':
      return new ThemeIcon('warning', new ThemeColor('list.warningForeground'));
    case 'low':
    case 'information':
      return new ThemeIcon('info', new ThemeColor('editorInfo.foreground'));
    default:
      return new ThemeIcon('circle-outline');
  }
}

/** The icon of a run. */
export function runIcon(state: RunState): ThemeIcon {
  switch (state) {
    case 'queued': return new ThemeIcon('clock');
    case 'running': return new ThemeIcon('sync~spin');
    case 'installed':
    case 'dry-run': return new ThemeIcon('pass', new ThemeColor('testing.iconPassed'));
    case 'blocked': return new ThemeIcon('shield', new ThemeColor('list.errorForeground'));
    case 'cancelled': return new ThemeIcon('circle-slash');
    case 'failed': return new ThemeIcon('error', new ThemeColor('list.errorForeground'));
  }
}

/** The icon of a phase row. */
export function phaseIcon(state: PhaseRow['state']): ThemeIcon {
  switch (state) {
    case 'pending': return new ThemeIcon('circle-outline');
    case 'running': return new ThemeIcon('loading~spin');
    case 'done': return new ThemeIcon('check', new ThemeColor('testing.iconPassed'));
    case 'failed': return new ThemeIcon('close', new ThemeColor('list.errorForeground'));
    case 'skipped': return new ThemeIcon('debug-step-over');
  }
}
