import { nearFinder, regexFinder, type LineRule } from './ruleTypes';

// Code that runs hidden or fetched payloads, opens shells for an attacker, mines or destroys.

const PY_EXEC = /\b(?:exec|eval)\s*\(/g;
const PY_DECODE =
  /\bb(?:64|32|85|16)decode\b|\ba85decode\b|\bzlib\.decompress\b|\bbytes\.fromhex\b|\bcodecs\.decode\b|\bunhexlify\b|\ba2b_(?:base64|hex)\b|\bmarshal\.loads\b|\bchr\(|\.decode\(\s*['"](?:hex|rot13|rot_13)['"]|\b(?:lzma|bz2|gzip)\.decompress\b/g;
const JS_EXEC = /\b(?:eval|Function|execScript|runInThisContext|runInNewContext|runInContext|compileFunction)\s*\(/g;
const JS_DECODE =
  /\batob\s*\(|\bBuffer\.from\s*\([^)\n]{0,300}['"`](?:base64|hex|base64url)['"`]|\bString\.fromCharCode\s*\(|\bunescape\s*\(|\b(?:inflate|inflateRaw|gunzip|brotliDecompress|unzip)Sync\s*\(/g;
const RB_EVAL = /\b(?:eval|instance_eval|class_eval|module_eval)\b/g;
const RB_DECODE = /\bBase64\.(?:decode64|strict_decode64|urlsafe_decode64)\b|\bZlib::Inflate\b|\.unpack1?\(\s*['"](?:m0?|H\*)['"]/g;
const GO_EXEC = /\bexec\.Command(?:Context)?\s*\(|\bsyscall\.Exec\b/g;
const GO_DECODE = /\bbase64\.\w+\.DecodeString\b|\bhex\.DecodeString\b/g;
const SH_DECODE_EXEC =
  /\bbase64[ \t]+(?:-d|--decode|-D)\b[^\n]{0,200}?\|[ \t]*(?:sudo[ \t]+)?(?:ba|z|da)?sh\b|\bxxd[ \t]+-r[ \t]+-p\b[^\n]{0,200}?\|[ \t]*(?:ba|z|da)?sh\b|\beval[ \t]+"?\$\([^)\n]{0,300}base64[ \t]+(?:-d|--decode)|\bFromBase64String\b[^\n]{0,300}(?:\bIEX\b|Invoke-Expression)|-(?:EncodedCommand|enc)[ \t]+[A-Za-z0-9+/=]{40,}/gi;

// One curl/wget alternative with a single bounded lazy scan: a line of thousands of "curl " stays linear.
const DOWNLOAD_EXEC =
  /\b(?:curl|wget)\b[^\n]{0,200}?(?:\|[ \t]*(?:sudo[ \t]+)?(?:(?:ba|z|da|k)?sh|python[23]?)\b|(?:&&|;)[ \t]*chmod[ \t]+(?:[ugoa]*\+x|[0-7]?[0-7][1357][0-7]?)\b)|\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|DownloadString|DownloadFile)\b[^\n]{0,200}?(?:\|[ \t]*iex\b|Invoke-Expression|Start-Process)|\bexec\s*\(\s*(?:urllib\.request\.|urllib2\.|request\.)?urlopen\s*\(|\bexec\s*\(\s*requests\.get\s*\(|\beval\s*\(\s*(?:await\s+)?\(?\s*(?:await\s+)?fetch\s*\(|\b(?:ba)?sh[ \t]+<\s*\(\s*(?:curl|wget)\b|\bsh[ \t]+-c[ \t]+["']?\$\(\s*(?:curl|wget)\b/gi;

const REVERSE_SHELL =
  /\/dev\/(?:tcp|udp)\/[\w.${}-]{1,100}\/\d{1,5}|\bn(?:c|cat|etcat)\b[^\n|;]{0,100}[ \t]-[ec][ \t]*(?:\/bin\/)?(?:ba|z)?sh\b|\bsocat\b[^\n]{0,100}\bexec:|\b(?:ba)?sh[ \t]+-i[ \t]*[<>]&|\bmkfifo\b[^\n;]{0,80};[^\n]{0,80}\bnc\b|\bpty\.spawn\(\s*['"](?:\/bin\/)?(?:ba|z)?sh['"]|\bos\.dup2\(\s*\w+\.fileno\(\)\s*,\s*[012]\s*\)/g;
const JS_SOCKET = /\bnew\s+net\.Socket\b|\bnet\.(?:connect|createConnection)\s*\(/g;
const JS_SHELL = /\bspawn\s*\(\s*['"`](?:\/bin\/)?(?:ba|z)?sh['"`]|\bspawn\s*\(\s*['"`]cmd(?:\.exe)?['"`]/g;
const RB_SOCKET = /\bTCPSocket\.(?:new|open)\b/g;
const RB_SHELL = /\b(?:exec|spawn|system)\s*\(?\s*['"](?:\/bin\/)?(?:ba|z)?sh\b|\bIO\.popen\s*\(?\s*['"](?:\/bin\/)?(?:ba|z)?sh\b/g;
const GO_SOCKET = /\bnet\.Dial(?:Timeout)?\s*\(/g;
const GO_SHELL = /\bexec\.Command\(\s*"(?:\/bin\/)?(?:ba|z)?sh"|\bexec\.Command\(\s*"cmd(?:\.exe)?"/g;

const DESTRUCTIVE =
  /\brm[ \t]+-(?:rf|fr|Rf|fR|r[ \t]+-f|-recursive[ \t]+--force)[ \t]+(?:--no-preserve-root[ \t]+)?(?:~\/?(?=[\s'"*;&|)]|$)|\$HOME\/?(?=[\s'"*;&|)]|$)|\$\{HOME\}\/?(?=[\s'"*;&|)]|$)|\/\*?(?=[\s'"&|;)]|$))|\bshutil\.rmtree\(\s*(?:os\.path\.expanduser\(\s*['"]~\/?['"]\s*\)|(?:pathlib\.)?Path\.home\(\)|os\.environ\[\s*['"]HOME['"]\s*\]|os\.getenv\(\s*['"]HOME['"]\s*\)|['"]\/['"]|['"]~\/?['"])\s*[,)]|\brimraf(?:\.sync)?\(\s*(?:os\.homedir\(\)|process\.env\.HOME|['"]~\/?['"]|['"]\/['"])\s*[,)]|\bfs(?:\.promises)?\.rm(?:Sync)?\(\s*(?:os\.homedir\(\)|process\.env\.HOME|['"]\/['"])\s*[,)]|\bFileUtils\.rm_rf?\(\s*(?:Dir\.home|ENV\[['"]HOME['"]\]|['"]~\/?['"]|['"]\/['"])|\bos\.RemoveAll\(\s*(?:os\.Getenv\("HOME"\)|"\/")\s*\)|\bremove_dir_all\(\s*(?:dirs::home_dir\(\)|"\/")|\bdel[ \t]+\/[sfq][ \t]+\/[sfq][^\n]{0,20}[A-Z]:\\|\bformat[ \t]+[A-Z]:[ \t]*\/[qy]/gm;

const MINER =
  /stratum\+(?:tcp|ssl|tls):\/\/|\bxmrig\b|\bxmr-stak\b|\bminerd\b|\bcpuminer\b|\bcryptonight\b|\bcoinhive\b|\bsupportxmr\.com\b|\bnanopool\.org\b|\bminexmr\b|\bmoneroocean\b|--donate-level\b|\bethminer\b|\bnbminer\b|\bhashvault\.pro\b|\bunmineable\b/gi;

/** Hidden execution, fetched payloads, shells for the attacker, miners and wipers. */
export const EXECUTION_RULES: readonly LineRule[] = [
  { id: 'decode-exec', family: 'decode-exec', role: 'indicator', severity: 'high', languages: ['python', 'pth'], reason: 'executes decoded or decompressed data', find: nearFinder(PY_EXEC, PY_DECODE, 160), escalateWith: ['network', 'spawn'] },
  { id: 'decode-exec', family: 'decode-exec', role: 'indicator', severity: 'high', languages: ['javascript'], reason: 'executes decoded or decompressed data', find: nearFinder(JS_EXEC, JS_DECODE, 120), escalateWith: ['network', 'spawn'] },
  { id: 'decode-exec', family: 'decode-exec', role: 'indicator', severity: 'high', languages: ['ruby'], reason: 'evaluates decoded data', find: nearFinder(RB_EVAL, RB_DECODE, 160), escalateWith: ['network', 'spawn'] },
  { id: 'decode-exec', family: 'decode-exec', role: 'indicator', severity: 'high', languages: ['go'], reason: 'runs a decoded command', find: nearFinder(GO_EXEC, GO_DECODE, 400), escalateWith: ['network'] },
  { id: 'decode-exec', family: 'decode-exec', role: 'indicator', severity: 'high', languages: 'any', reason: 'pipes decoded data into a shell', find: regexFinder(SH_DECODE_EXEC), escalateWith: ['network'] },
  { id: 'download-exec', family: 'download-exec', role: 'indicator', severity: 'high', languages: 'any', reason: 'downloads code and runs it', find: regexFinder(DOWNLOAD_EXEC), escalateWith: ['file-read'] },
  { id: 'reverse-shell', family: 'reverse-shell', role: 'indicator', severity: 'critical', languages: 'any', reason: 'connects a shell to a remote host (reverse shell)', find: regexFinder(REVERSE_SHELL) },
  { id: 'reverse-shell', family: 'reverse-shell', role: 'indicator', severity: 'critical', languages: ['javascript'], reason: 'connects a shell to a socket (reverse shell)', find: nearFinder(JS_SOCKET, JS_SHELL, 600) },
  { id: 'reverse-shell', family: 'reverse-shell', role: 'indicator', severity: 'critical', languages: ['ruby'], reason: 'connects a shell to a socket (reverse shell)', find: nearFinder(RB_SOCKET, RB_SHELL, 400) },
  { id: 'reverse-shell', family: 'reverse-shell', role: 'indicator', severity: 'critical', languages: ['go'], reason: 'connects a shell to a socket (reverse shell)', find: nearFinder(GO_SOCKET, GO_SHELL, 800) },
  { id: 'destructive', family: 'destructive', role: 'indicator', severity: 'high', languages: 'any', reason: 'deletes the home directory or the file system root', find: regexFinder(DESTRUCTIVE) },
  { id: 'miner', family: 'miner', role: 'indicator', severity: 'high', languages: 'any', reason: 'names a cryptocurrency miner or mining pool', find: regexFinder(MINER) },
];
