import { nearFinder, regexFinder, type LineRule } from './ruleTypes';

// Staying on the machine after the install, and spreading to the victim's own packages.

/** Locations that only exist to start programs later; naming them in package code is already suspicious. */
const AUTOSTART =
  /\.config\/systemd\/user\b|\bsystemctl[ \t]+--user[ \t]+(?:enable|start|daemon-reload)\b|\bLibrary\/LaunchAgents\b|\.config\/autostart\b|\bcrontab[ \t]+-[ \t]*(?=[\n'"`);|]|$)|\(\s*crontab[ \t]+-l\b|\/etc\/cron\.(?:d|hourly|daily)\b|\/etc\/rc\.local\b|CurrentVersion\\{1,2}Run\b|\bschtasks(?:\.exe)?[ \t]+\/create\b/gim;
/** Shell start-up files: fine to mention, suspicious to write. The dot must start a name (`result.profile` is not one). */
const RC_FILE = /(?:^|[^\w$])\.(?:bashrc|bash_profile|zshrc|zprofile|profile)\b/gm;
/** CI workflows: scaffolding tools write them at run time; install-time code never should (Shai-Hulud). */
const WORKFLOW_FILE = /\.github(?:[/\\]|['"`]\s*,\s*['"`])workflows\b/g;
/** File-writing calls of the code languages; shell redirections are matched separately below. */
const WRITE = /\b(?:appendFile|writeFile)(?:Sync)?\b|\bwrite_text\b|\bopen\s*\([^\n]{0,160}?,\s*['"][wa]\+?b?['"]|\bFile\.(?:write|open)\b|\bos\.WriteFile\b|\bOpenFile\b|\bfs::write\b|\bOpenOptions\b/g;
/** `>> ~/.bashrc` outside a comment line (completion scripts print that line as an instruction). */
const SHELL_APPEND =
  /^(?![ \t]*(?:#|\/\/|\*))[^\n]{0,200}?(?:>>|\btee[ \t]+-a)[ \t]*["']?(?:~|\$HOME|\$\{HOME\}|%h)?\/?\.(?:bashrc|bash_profile|zshrc|zprofile|profile)\b/gm;

/** Publishing, token minting and repository creation from package code (Shai-Hulud, s1ngularity). */
const PROPAGATE =
  /\bnpm[ \t]+(?:publish|adduser|token[ \t]+create)\b|registry\.npmjs\.org\/-\/(?:whoami|npm\/v1\/tokens|user\/)|api\.github\.com\/user\/repos\b|\bgh[ \t]+repo[ \t]+create\b|\btwine[ \t]+upload\b|\bgem[ \t]+push\b|\bcargo[ \t]+publish\b/g;
const REGISTRY_TOKEN = /\b_authToken\b|\bNPM_TOKEN\b|\bNODE_AUTH_TOKEN\b|\bTWINE_PASSWORD\b|\bPYPI_API_TOKEN\b|\bGEM_HOST_API_KEY\b|\bCARGO_REGISTRY_TOKEN\b/g;

/** Persistence and self-propagation. */
export const PERSISTENCE_RULES: readonly LineRule[] = [
  { id: 'persistence', family: 'persistence', role: 'indicator', severity: 'high', languages: 'any', reason: 'writes an autostart location (systemd user unit, cron, LaunchAgent, Run key)', find: regexFinder(AUTOSTART) },
  { id: 'persistence', family: 'persistence', role: 'indicator', severity: 'high', languages: 'any', reason: 'writes a shell start-up file', find: nearFinder(WRITE, RC_FILE, 160) },
  { id: 'persistence', family: 'persistence', role: 'indicator', severity: 'high', languages: 'any', reason: 'writes a CI workflow at install time', find: nearFinder(WRITE, WORKFLOW_FILE, 160), installTimeOnly: true },
  { id: 'persistence', family: 'persistence', role: 'indicator', severity: 'high', languages: 'any', reason: 'appends to a shell start-up file', find: regexFinder(SHELL_APPEND) },
  { id: 'self-propagation', family: 'self-propagation', role: 'indicator', severity: 'high', languages: 'any', reason: 'publishes packages or creates repositories (worm behaviour)', find: regexFinder(PROPAGATE) },
  { id: 'registry-token', family: 'self-propagation', role: 'indicator', severity: 'medium', languages: 'any', reason: 'reads a package-registry publish token', find: regexFinder(REGISTRY_TOKEN), installTimeOnly: true, escalateWith: ['network', 'spawn'] },
];
