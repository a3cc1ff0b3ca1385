/**
 * Spots persistence that past supply-chain attacks left behind: commands started from hidden folders or temp
 * folders, `curl … | sh`, base64-decoded scripts and reverse shells, in systemd user units, XDG autostart
 * entries, shell rc files, crontabs and LaunchAgents. Pure: text in, line numbers and reasons out.
 */

/** Why a line looks like persistence worth reviewing. */
export type PersistenceReason = 'exec-from-hidden-folder' | 'exec-from-temp-folder' | 'download-piped-to-shell' | 'decode-then-exec' | 'reverse-shell';

/** A suspicious line: 1-based line number and the reason; the command itself is not kept (it may hold tokens). */
export interface PersistenceHit {
  line: number;
  reason: PersistenceReason;
}

/** Hidden folders that legitimate tool installers put on PATH or source from rc files. */
const KNOWN_TOOL_FOLDERS = new Set([
  '.local', '.cargo', '.rustup', '.nvm', '.volta', '.fnm', '.pyenv', '.rbenv', '.rvm', '.goenv', '.jenv', '.sdkman',
  '.asdf', '.deno', '.bun', '.npm-global', '.npm-packages', '.yarn', '.poetry', '.pnpm', '.nix-profile', '.nix-defexec',
  '.oh-my-zsh', '.zinit', '.zplug', '.antigen', '.fzf', '.fzf.bash', '.fzf.zsh', '.dotnet', '.krew', '.linkerd2', '.istioctl',
  '.pulumi', '.fly', '.foundry', '.wasmtime', '.wasmer', '.ghcup', '.cabal', '.opam', '.elan', '.juliaup', '.modular',
  '.docker', '.iterm2', '.iterm2_shell_integration.zsh', '.iterm2_shell_integration.bash', '.bashrc.d', '.zshrc.d',
  '.bash_aliases', '.bash_functions', '.profile', '.bashrc', '.zshrc', '.zshenv', '.aliases', '.functions', '.exports', '.config',
  '.vscode-server', '.cursor-server', '.windsurf-server', '.tmux', '.vim', '.emacs.d', '.gvm', '.kiex', '.kerl', '.mix',
  '.atuin', '.starship', '.rye', '.pixi', '.mise', '.proto', '.tfenv', '.tgenv', '.sdkman_init', '.orbstack', '.rd', '.lmstudio',
]);

// A path in a command: ~/…, %h/… (systemd's home specifier), $HOME/…, ${HOME}/…, /home/user/…, /Users/user/…, /root/…, or a temp folder.
const PATH_TOKEN = /(?:~|%h|\$\{?HOME\}?|\/home\/[^/\s"']+|\/Users\/[^/\s"']+|\/root)(\/[^\s"'`;|&)]+)|(?:\/tmp|\/var\/tmp|\/dev\/shm)(?:\/[^\s"'`;|&)]*)?/g;

// Words after which the next word is a command that runs.
const RUNNERS = new Set(['exec', 'nohup', 'source', '.', 'sh', 'bash', 'zsh', 'dash', 'python', 'python3', 'perl', 'node', 'ruby', 'setsid', 'env', 'sudo', 'command', 'eval', 'disown', 'timeout']);

/** Reasons a single command line is suspicious (empty when it is not). */
export function suspiciousCommand(command: string): PersistenceReason[] {
  const reasons: PersistenceReason[] = [];
  if (/\b(?:curl|wget|fetch)\b[^|\n]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\b(?:curl|wget)\b[^|\n]*\|\s*(?:python3?|perl|ruby|node)\b/.test(command)) reasons.push('download-piped-to-shell');
  if (/\b(?:ba|z|da)?sh\s+-c\s+["']?\$\((?:curl|wget)\b/.test(command) && !reasons.includes('download-piped-to-shell')) reasons.push('download-piped-to-shell');
  if (/base64\s+(?:-d|--decode|-D)\b[^\n]*\|\s*(?:ba|z|da)?sh\b|\beval\s+["']?\$\([^)]*base64\s+(?:-d|--decode)/.test(command)) reasons.push('decode-then-exec');
  if (/\/dev\/(?:tcp|udp)\/|\bnc(?:at)?\b[^\n]*\s-e\s|\bsocat\b[^\n]*exec:/i.test(command)) reasons.push('reverse-shell');
  for (const match of command.matchAll(PATH_TOKEN)) {
    const start = match.index ?? 0;
    if (!inCommandPosition(command, start)) continue;
    const whole = match[0];
    if (/^(?:\/tmp|\/var\/tmp|\/dev\/shm)/.test(whole)) {
      if (!reasons.includes('exec-from-temp-folder')) reasons.push('exec-from-temp-folder');
      continue;
    }
    const rest = match[1] ?? '';
    const first = rest.split('/')[1] ?? '';
    if (first.startsWith('.') && !KNOWN_TOOL_FOLDERS.has(first) && !reasons.includes('exec-from-hidden-folder')) reasons.push('exec-from-hidden-folder');
  }
  return reasons;
}

/** True when the path starting at `index` is what runs (first word, after a runner word, after ; && || | & or `$(`). */
function inCommandPosition(command: string, index: number): boolean {
  const before = command.slice(0, index).replace(/["']$/, '');
  if (/(?:^|[;&|({`]|\$\(|&&|\|\|)\s*$/.test(before)) return true;
  const words = before.trimEnd().split(/\s+/);
  const previous = words[words.length - 1] ?? '';
  if (RUNNERS.has(previous)) return true;
  // `ExecStart=/path` and `Exec=/path`
  return /(?:^|\s)(?:Exec\w*)=[-@:+!]*$/.test(before);
}

function hitsFromLines(lines: string[], pick: (line: string) => string | undefined): PersistenceHit[] {
  const hits: PersistenceHit[] = [];
  lines.forEach((line, i) => {
    const command = pick(line);
    if (command === undefined) return;
    for (const reason of suspiciousCommand(command)) hits.push({ line: i + 1, reason });
  });
  return hits;
}

/** Suspicious `Exec…=` lines of a systemd user unit. */
export function inspectSystemdUnit(text: string): PersistenceHit[] {
  return hitsFromLines(text.split(/\r?\n/), (line) => {
    const m = /^\s*Exec(?:Start|StartPre|StartPost|Stop|StopPost|Reload|Condition)\s*=\s*[-@:+!]*(.*)$/.exec(line);
    return m ? m[1] : undefined;
  });
}

/** Suspicious `Exec=` lines of an XDG autostart `.desktop` entry. */
export function inspectDesktopEntry(text: string): PersistenceHit[] {
  return hitsFromLines(text.split(/\r?\n/), (line) => {
    const m = /^\s*(?:Exec|TryExec)\s*=\s*(.*)$/.exec(line);
    return m ? m[1] : undefined;
  });
}

/** Suspicious lines of a shell rc file (comments skipped). */
export function inspectShellRc(text: string): PersistenceHit[] {
  return hitsFromLines(text.split(/\r?\n/), (line) => (/^\s*(?:#|$)/.test(line) ? undefined : line.trim()));
}

/** Suspicious entries of `crontab -l` output (comments and variable lines skipped; the schedule is dropped). */
export function inspectCrontab(text: string): PersistenceHit[] {
  return hitsFromLines(text.split(/\r?\n/), (line) => {
    if (/^\s*(?:#|$)/.test(line) || /^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) return undefined;
    const special = /^\s*@\w+\s+(.*)$/.exec(line);
    if (special) return special[1];
    const fields = line.trim().split(/\s+/);
    return fields.length > 5 ? fields.slice(5).join(' ') : undefined;
  });
}

/** Suspicious program paths in a LaunchAgent plist (`<string>` values under ProgramArguments/Program). */
export function inspectLaunchAgent(text: string): PersistenceHit[] {
  const lines = text.split(/\r?\n/);
  return hitsFromLines(lines, (line) => {
    const m = /<string>([^<]*)<\/string>/.exec(line);
    if (!m) return undefined;
    // A plist value stands alone, so treat it as a command of its own.
    return (m[1] ?? '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  });
}

/** Human wording for each reason. */
export const PERSISTENCE_REASON_TITLES: Readonly<Record<PersistenceReason, string>> = {
  'exec-from-hidden-folder': 'runs a program from a hidden folder',
  'exec-from-temp-folder': 'runs a program from a temporary folder',
  'download-piped-to-shell': 'pipes a download into a shell',
  'decode-then-exec': 'decodes base64 and runs it',
  'reverse-shell': 'opens a reverse shell',
};
