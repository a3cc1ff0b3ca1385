/**
 * Walks the well-known credential places under the home folder: the catalog, every key under `~/.ssh`,
 * shell histories, wallet extensions inside browser profiles, and the SSH agent socket.
 */
import path from 'node:path';
import { BROWSER_WALLET_EXTENSIONS, HISTORY_FILES, SENSITIVE_PATHS } from './catalog';
import type { ExposureHost } from './host';
import { displayPath, fileFields, homePath } from './location';
import { countTokenShapes } from './secretShapes';
import { classifyPrivateKey, isUnencryptedKey, type PrivateKeyClass } from './sshKeyFormat';
import type { ExposureItem } from './types';

/** How much of a credential file is read; real ones are tiny. */
const CREDENTIAL_READ_LIMIT = 256 * 1024;
/** How much of the end of a history file is searched for tokens. */
const HISTORY_READ_LIMIT = 2 * 1024 * 1024;
/** Files under ~/.ssh that are not private keys. */
const SSH_NOT_KEYS = /^(?:known_hosts(?:\.old)?|authorized_keys2?|config|environment|rc|.*\.pub|.*-cert\.pub|agent\.sock|.*\.sock)$/;

/** Items for every catalog path that exists. */
export async function scanCatalogPaths(host: ExposureHost): Promise<ExposureItem[]> {
  const configDir = host.env.XDG_CONFIG_HOME;
  const entries = SENSITIVE_PATHS.filter((entry) => entry.platforms === undefined || entry.platforms.includes(host.platform));
  const results = await Promise.all(
    entries.map(async (entry): Promise<ExposureItem | undefined> => {
      // Tools that follow the XDG spec read $XDG_CONFIG_HOME instead of ~/.config.
      const absolute = configDir !== undefined && configDir !== '' && entry.path.startsWith('.config/') ? path.join(configDir, ...entry.path.slice('.config/'.length).split('/')) : homePath(host.homeDir, entry.path);
      const facts = await host.fs.stat(absolute);
      if (facts === undefined) return undefined;
      if (entry.type === 'file' && facts.kind !== 'file') return undefined;
      if (entry.type === 'directory' && facts.kind !== 'directory') return undefined;
      const text = entry.type === 'file' ? ((await host.fs.readHead(absolute, CREDENTIAL_READ_LIMIT))?.toString('utf8') ?? '') : '';
      const verdict = entry.inspect(text);
      if (verdict === undefined) return undefined;
      const location = displayPath(host.homeDir, absolute);
      return { id: `${entry.category}:${location}`, category: entry.category, severity: verdict.severity, title: verdict.title, location, kind: verdict.kind, ...fileFields(facts), advice: verdict.advice };
    }),
  );
  return results.filter((item): item is ExposureItem => item !== undefined);
}

const KEY_TITLES: Record<PrivateKeyClass, string> = {
  'openssh-unencrypted': 'Unencrypted OpenSSH private key',
  'openssh-encrypted': 'Passphrase-protected OpenSSH private key',
  'pem-unencrypted': 'Unencrypted PEM private key',
  'pem-encrypted': 'Passphrase-protected PEM private key',
  'pkcs8-unencrypted': 'Unencrypted PKCS#8 private key',
  'pkcs8-encrypted': 'Passphrase-protected PKCS#8 private key',
  'putty-unencrypted': 'Unencrypted PuTTY private key',
  'putty-encrypted': 'Passphrase-protected PuTTY private key',
  'unknown-private-key': 'Private key (format not recognised)',
  'not-a-private-key': '',
};

/** Items for private keys under ~/.ssh (two levels deep), encrypted or not. */
export async function scanSshKeys(host: ExposureHost): Promise<ExposureItem[]> {
  const items: ExposureItem[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await host.fs.readDir(dir);
    if (entries === undefined) return;
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.kind === 'directory' && depth < 2) {
        await visit(full, depth + 1);
        continue;
      }
      if (entry.kind !== 'file' && entry.kind !== 'symlink') continue;
      if (SSH_NOT_KEYS.test(entry.name)) continue;
      const facts = await host.fs.stat(full);
      if (facts?.kind !== 'file' || facts.sizeBytes > 64 * 1024) continue;
      const keyClass = classifyPrivateKey((await host.fs.readHead(full, 16 * 1024))?.toString('latin1') ?? '');
      if (keyClass === 'not-a-private-key') continue;
      const location = displayPath(host.homeDir, full);
      const unencrypted = isUnencryptedKey(keyClass);
      items.push({
        id: `ssh-keys:${location}`,
        category: 'ssh-keys',
        severity: unencrypted ? 'critical' : keyClass === 'unknown-private-key' ? 'high' : 'medium',
        title: KEY_TITLES[keyClass],
        location,
        kind: `${keyClass.startsWith('openssh') ? 'openssh' : keyClass.split('-')[0]}-private-key-${unencrypted ? 'unencrypted' : keyClass === 'unknown-private-key' ? 'unknown' : 'encrypted'}`,
        ...fileFields(facts),
        advice: unencrypted
          ? `Add a passphrase (ssh-keygen -p -f ${location}) or move the key to ssh-agent with a hardware token.`
          : 'A copied key can be cracked offline if the passphrase is weak; use a long passphrase or a hardware-backed key.',
      });
    }
  };
  await visit(homePath(host.homeDir, '.ssh'), 1);
  return items;
}

/** Items for shell and REPL histories, counting token-shaped values without keeping them. */
export async function scanHistories(host: ExposureHost): Promise<ExposureItem[]> {
  const files = [...HISTORY_FILES.map((p) => homePath(host.homeDir, p))];
  const histfile = host.env.HISTFILE;
  if (histfile !== undefined && histfile !== '' && !files.includes(histfile)) files.push(histfile);
  const results = await Promise.all(
    files.map(async (file): Promise<ExposureItem | undefined> => {
      const facts = await host.fs.stat(file);
      if (facts?.kind !== 'file' || facts.sizeBytes === 0) return undefined;
      const tail = (await host.fs.readTail(file, HISTORY_READ_LIMIT))?.toString('utf8') ?? '';
      const counts = countTokenShapes(tail);
      const tokens = [...counts.values()].reduce((a, b) => a + b, 0);
      const location = displayPath(host.homeDir, file);
      return {
        id: `shell-history:${location}`,
        category: 'shell-history',
        severity: tokens > 0 ? 'critical' : 'low',
        title: tokens > 0 ? `History holds ${tokens} token-shaped value${tokens === 1 ? '' : 's'} (${[...counts.keys()].join(', ')})` : 'Command history (no token-shaped values found)',
        location,
        kind: tokens > 0 ? 'history-with-tokens' : 'history',
        ...fileFields(facts),
        advice: tokens > 0 ? 'Rotate those tokens, delete the lines from the history, and set HISTCONTROL=ignorespace to keep secrets out.' : 'Avoid typing secrets on the command line; histories are read by credential stealers.',
      };
    }),
  );
  return results.filter((item): item is ExposureItem => item !== undefined);
}

/** Wallet extensions inside Chrome-family profiles (presence of their storage folder only). */
export async function scanBrowserWallets(host: ExposureHost): Promise<ExposureItem[]> {
  const roots = ['.config/google-chrome', '.config/chromium', '.config/BraveSoftware/Brave-Browser', '.config/microsoft-edge', 'Library/Application Support/Google/Chrome', 'Library/Application Support/BraveSoftware/Brave-Browser'];
  const items: ExposureItem[] = [];
  for (const root of roots) {
    const rootPath = homePath(host.homeDir, root);
    const profiles = await host.fs.readDir(rootPath);
    if (profiles === undefined) continue;
    for (const profile of profiles) {
      if (profile.kind !== 'directory' || !(profile.name === 'Default' || profile.name.startsWith('Profile '))) continue;
      for (const wallet of BROWSER_WALLET_EXTENSIONS) {
        const dir = path.join(rootPath, profile.name, 'Local Extension Settings', wallet.id);
        const facts = await host.fs.stat(dir);
        if (facts?.kind !== 'directory') continue;
        const location = displayPath(host.homeDir, dir);
        items.push({ id: `browser-wallet:${location}`, category: 'browser-wallet', severity: 'high', title: `${wallet.name} browser wallet vault`, location, kind: 'crypto-wallet-browser-extension', ...fileFields(facts), advice: 'Keep significant funds on a hardware wallet; a package running as you can copy the encrypted vault and brute-force it offline.' });
      }
    }
  }
  return items;
}

/** The SSH agent: any process running as you can ask it to sign with every loaded key. */
export async function scanSshAgent(host: ExposureHost): Promise<ExposureItem[]> {
  const socket = host.env.SSH_AUTH_SOCK;
  if (socket === undefined || socket === '') return [];
  const facts = await host.fs.stat(socket);
  if (facts === undefined) return [];
  return [
    {
      id: 'ssh-keys:$SSH_AUTH_SOCK',
      category: 'ssh-keys',
      severity: 'high',
      title: 'SSH agent socket reachable',
      location: '$SSH_AUTH_SOCK',
      kind: 'ssh-agent-socket',
      advice: 'Load keys with confirmation (ssh-add -c) or a lifetime (ssh-add -t 1h) so an install cannot silently use them.',
    },
  ];
}
