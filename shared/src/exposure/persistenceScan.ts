/** Reads the places persistence hides (systemd user units, autostart, shell rc files, crontab, LaunchAgents). */
import path from 'node:path';
import type { ExposureHost } from './host';
import { displayPath, fileFields, homePath } from './location';
import {
  PERSISTENCE_REASON_TITLES,
  inspectCrontab,
  inspectDesktopEntry,
  inspectLaunchAgent,
  inspectShellRc,
  inspectSystemdUnit,
  type PersistenceHit,
} from './persistence';
import { PROBE_TIMEOUT_MS } from './sandboxProbe';
import type { ExposureItem } from './types';

const RC_FILES = ['.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.config/fish/config.fish'];
const READ_LIMIT = 512 * 1024;
const ADVICE = 'Open it at this line and remove the entry unless you added it yourself; if you did not, treat the machine as compromised and rotate credentials.';

function hitItems(host: ExposureHost, source: string, where: string, hits: PersistenceHit[], facts?: Parameters<typeof fileFields>[0]): ExposureItem[] {
  return hits.map((hit) => ({
    id: `persistence:${where}:${hit.line}:${hit.reason}`,
    category: 'persistence' as const,
    severity: 'high' as const,
    title: `${source} ${PERSISTENCE_REASON_TITLES[hit.reason]}`,
    location: `${where}:${hit.line}`,
    kind: hit.reason,
    ...fileFields(facts),
    advice: ADVICE,
  }));
}

async function scanFolder(host: ExposureHost, dir: string, suffix: string, source: string, inspect: (text: string) => PersistenceHit[]): Promise<ExposureItem[]> {
  const entries = await host.fs.readDir(dir);
  if (entries === undefined) return [];
  const items: ExposureItem[] = [];
  for (const entry of entries) {
    if (!entry.name.endsWith(suffix) || (entry.kind !== 'file' && entry.kind !== 'symlink')) continue;
    const file = path.join(dir, entry.name);
    const facts = await host.fs.stat(file);
    const text = (await host.fs.readHead(file, READ_LIMIT))?.toString('utf8');
    if (text === undefined) continue;
    items.push(...hitItems(host, source, displayPath(host.homeDir, file), inspect(text), facts));
  }
  return items;
}

/** Items for every suspicious persistence entry; `crontab` is only asked when `withCrontab` is set. */
export async function scanPersistence(host: ExposureHost, withCrontab: boolean): Promise<ExposureItem[]> {
  const configDir = host.env.XDG_CONFIG_HOME !== undefined && host.env.XDG_CONFIG_HOME !== '' ? host.env.XDG_CONFIG_HOME : homePath(host.homeDir, '.config');
  const items: ExposureItem[] = [];
  items.push(...(await scanFolder(host, path.join(configDir, 'systemd', 'user'), '.service', 'systemd user unit', inspectSystemdUnit)));
  items.push(...(await scanFolder(host, path.join(configDir, 'autostart'), '.desktop', 'Autostart entry', inspectDesktopEntry)));
  if (host.platform === 'darwin') items.push(...(await scanFolder(host, homePath(host.homeDir, 'Library/LaunchAgents'), '.plist', 'LaunchAgent', inspectLaunchAgent)));
  for (const rc of RC_FILES) {
    const file = homePath(host.homeDir, rc);
    const facts = await host.fs.stat(file);
    if (facts?.kind !== 'file') continue;
    const text = (await host.fs.readHead(file, READ_LIMIT))?.toString('utf8') ?? '';
    items.push(...hitItems(host, 'Shell startup file', displayPath(host.homeDir, file), inspectShellRc(text), facts));
  }
  if (withCrontab && host.platform !== 'win32') {
    const crontab = await host.commands.findExecutable('crontab');
    if (crontab !== undefined) {
      const result = await host.commands.run(crontab, ['-l'], PROBE_TIMEOUT_MS);
      if (result.code === 0) items.push(...hitItems(host, 'crontab entry', 'crontab', inspectCrontab(result.stdout)));
    }
  }
  return items;
}
