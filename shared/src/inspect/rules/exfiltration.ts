import { filteredFinder, regexFinder, type LineRule } from './ruleTypes';

// What attackers read (SECURITY.md §2) and where they send it.

/** Key material, wallets, browser logins and shell history: nothing a library has a reason to read. */
const SENSITIVE_PATH =
  /(?:^|[^\w.])\.ssh(?:[/\\'"`]|$)|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\.git-credentials\b|\.(?:bash|zsh|sh)_history\b|\bLogin Data\b|\bwallet\.dat\b|\/etc\/shadow\b|(?:^|[^\w.])\.gnupg\b|\bexodus\.wallet\b|\bkeystore[/\\]UTC--|\.config[/\\]gh[/\\]hosts\.yml\b|\.docker[/\\]config\.json\b/gm;

/**
 * Credential and configuration files that SDKs and package managers read legitimately (AWS SDK, Google
 * auth, npm config readers): low on their own, raised at install time or next to an exfiltration target.
 */
const CREDENTIAL_CONFIG =
  /\.aws(?:[/\\]|['"`]\s*,\s*['"`])(?:credentials|config)\b|\.config[/\\'"`,\s]{1,6}gcloud\b|\bapplication_default_credentials\.json\b|(?:^|[^\w.])\.azure(?:[/\\'"`]|$)|\.kube(?:[/\\]|['"`]\s*,\s*['"`])config\b|['"`/\\~]\.npmrc\b|['"`/\\~]\.pypirc\b|['"`/\\~]\.netrc\b|['"`/\\~]\.gitconfig\b/gm;

/** Indicators that say where data goes; a secret read next to one of them is raised. */
const DESTINATIONS = ['exfil-endpoint', 'ip-literal-url', 'dns-exfil'] as const;

/** The whole environment serialised or dumped, not one variable read. */
const ENV_DUMP =
  /JSON\.stringify\(\s*process\.env\s*[,)]|\b(?:btoa|Buffer\.from)\(\s*JSON\.stringify\(\s*process\.env|json\.dumps\(\s*(?:dict\(\s*)?os\.environ\b|\b(?:str|repr)\(\s*os\.environ\s*\)|\bENV\.(?:to_h|to_hash)\.(?:to_json|to_s|inspect)\b|\bENV\.inspect\b|\bJSON\.(?:generate|dump)\(\s*ENV\b|json\.Marshal\(\s*os\.Environ\(\)\s*\)/g;
/** Shell (and Ruby backtick) forms: `env` in a JavaScript template literal is just a word. */
const SH_ENV_DUMP = /\bprintenv[ \t]*(?:\||>|$)|\$\(\s*(?:env|printenv)\s*\)|`(?:env|printenv)`|(?:^|[;&|(]\s*)env[ \t]*\|[ \t]*(?:base64|curl|nc|gzip|xxd)\b/gm;

/** A variable whose name says it holds a secret. */
const ENV_SECRET =
  /(?:process\.env(?:\.|\[\s*['"`])|os\.environ(?:\.get)?\s*[[(]\s*['"]|os\.getenv\s*\(\s*['"]|\bENV(?:\.fetch\s*\(\s*|\[\s*)['"]|os\.(?:Getenv|LookupEnv)\(\s*"|env::var(?:_os)?\(\s*"|\bgetenv\(\s*")[A-Za-z0-9_]{0,40}(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL)/g;
const SH_ENV_SECRET = /\$\{?[A-Z0-9_]{0,40}(?:TOKEN|SECRET|PASSWORD|API_?KEY|ACCESS_KEY|PRIVATE_KEY)\b/g;

/** Webhook APIs recognisable by their path anywhere in a string. */
const WEBHOOK_API = /discord(?:app)?\.com\/api\/webhooks|api\.telegram\.org\/bot/gi;
const COLLECTION_DOMAINS =
  'webhook\\.site|pipedream\\.net|interact\\.sh|oast\\.(?:fun|pro|live|site|online|me)|burpcollaborator\\.net|oastify\\.com|ngrok(?:-free)?\\.(?:io|app|dev)|requestbin\\.(?:net|com)|hookbin\\.com|beeceptor\\.com|trycloudflare\\.com|transfer\\.sh|dnslog\\.cn|ceye\\.io|canarytokens\\.com|serveo\\.net|loca\\.lt';
/**
 * Collection services and tunnels, counted only as the host of a URL (after `/` or `@`, sub-domains
 * allowed) or followed by a path or port. A bare quoted name is data: the public suffix list names several.
 */
const COLLECTION_HOST = new RegExp(`(?<=[/@][\\w.-]{0,80})(?:${COLLECTION_DOMAINS})\\b|\\b(?:${COLLECTION_DOMAINS})(?=[/:?])|\\bpastebin\\.com\\/raw\\b`, 'gi');

/** URLs or socket targets written as IPv4 literals. */
const IP_TARGET =
  /\b(?:https?|wss?|ftp|tcp|udp):\/\/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b|\b(?:connect|Dial|TCPSocket\.(?:new|open)|create_connection)\b[^\n]{0,60}?['"](\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})['":]/g;

/** Well-known public resolvers: connectivity checks and DNS clients name them legitimately. */
const WELL_KNOWN_RESOLVERS = new Set(['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9', '149.112.112.112', '208.67.222.222', '208.67.220.220']);

/** True for a routable public IPv4 address: not private, loopback, link-local, CGNAT, documentation or multicast. */
export function isPublicIpv4(octets: readonly number[]): boolean {
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return false;
  const [a = 0, b = 0, c = 0] = octets;
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false;
  if (a === 198 && (b === 18 || b === 19)) return false;
  if (a === 198 && b === 51 && c === 100) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  return !WELL_KNOWN_RESOLVERS.has(octets.join('.'));
}

function publicIpMatch(match: RegExpExecArray): boolean {
  const groups = match[1] !== undefined ? match.slice(1, 5) : match.slice(5, 9);
  return isPublicIpv4(groups.map((g) => Number(g)));
}

/** A host name built from data at run time and resolved: data smuggled out in DNS labels (torchtriton). */
const DNS_EXFIL =
  /\b(?:gethostbyname(?:_ex)?|getaddrinfo|resolver\.(?:resolve|query))\s*\(\s*(?:f['"][^'"\n]{0,120}\{|[^)'"\n]{1,120}\+\s*['"]\.|['"][^'"\n]{0,120}['"]\s*(?:%|\.format\())|\bdns(?:\.promises)?\.(?:lookup|resolve\w{0,8})\s*\(\s*(?:`[^`\n]{0,200}\$\{[^`\n]{0,200}`\.|[^),\n]{1,120}\+\s*['"`]\.)|\b(?:nslookup|dig)[ \t]+[^\n;|]{0,80}\$\(|\bnet\.Lookup(?:Host|IP|TXT)\(\s*[^)\n]{1,120}\+\s*"\./g;

/** Where secrets come from and where they go. */
export const EXFILTRATION_RULES: readonly LineRule[] = [
  { id: 'sensitive-file', family: 'sensitive-file', role: 'indicator', severity: 'medium', languages: 'any', reason: 'names a private key, wallet, browser login store or shell history', find: regexFinder(SENSITIVE_PATH), escalateWith: ['network'], escalateWithFamilies: DESTINATIONS },
  { id: 'credential-config', family: 'sensitive-file', role: 'indicator', severity: 'low', languages: 'any', reason: 'names a cloud, registry or git credential file', find: regexFinder(CREDENTIAL_CONFIG), escalateWith: ['network'], escalateOnlyAtInstall: true, escalateWithFamilies: DESTINATIONS },
  { id: 'env-dump', family: 'env-read', role: 'indicator', severity: 'medium', languages: 'any', reason: 'serialises the whole environment', find: regexFinder(ENV_DUMP), escalateWith: ['network'], escalateWithFamilies: DESTINATIONS },
  { id: 'env-dump', family: 'env-read', role: 'indicator', severity: 'medium', languages: ['shell', 'gyp', 'ruby'], reason: 'dumps the whole environment', find: regexFinder(SH_ENV_DUMP), escalateWith: ['network'], escalateWithFamilies: DESTINATIONS },
  { id: 'env-secret', family: 'env-read', role: 'indicator', severity: 'low', languages: ['python', 'pth', 'javascript', 'ruby', 'go', 'rust'], reason: 'reads a secret-named environment variable', find: regexFinder(ENV_SECRET), escalateWith: ['network'], escalateOnlyAtInstall: true, escalateWithFamilies: DESTINATIONS },
  { id: 'env-secret', family: 'env-read', role: 'indicator', severity: 'low', languages: ['shell', 'gyp'], reason: 'reads a secret-named environment variable', find: regexFinder(SH_ENV_SECRET), escalateWith: ['network'], escalateOnlyAtInstall: true, escalateWithFamilies: DESTINATIONS },
  { id: 'exfil-endpoint', family: 'exfil-endpoint', role: 'indicator', severity: 'high', languages: 'any', reason: 'names a webhook API used to receive stolen data', find: regexFinder(WEBHOOK_API), escalateWith: ['file-read', 'spawn'] },
  { id: 'exfil-endpoint', family: 'exfil-endpoint', role: 'indicator', severity: 'high', languages: 'any', reason: 'talks to a collection or tunnel service used to receive stolen data', find: regexFinder(COLLECTION_HOST), escalateWith: ['file-read', 'spawn'] },
  { id: 'ip-literal-url', family: 'ip-literal-url', role: 'indicator', severity: 'medium', languages: 'any', reason: 'talks to a public IP address instead of a host name', find: filteredFinder(IP_TARGET, publicIpMatch), escalateWith: ['file-read', 'spawn'] },
  { id: 'dns-exfil', family: 'dns-exfil', role: 'indicator', severity: 'medium', languages: 'any', reason: 'resolves a host name built from data (DNS exfiltration)', find: regexFinder(DNS_EXFIL), escalateWith: ['file-read', 'spawn'] },
];
