import { regexFinder, type LineRule } from './ruleTypes';

// Capabilities are what code can do. Alone they are normal (most libraries use the network); they matter
// when a threat indicator sits in the same file, or when the file runs at install time.

const PY_NETWORK =
  /^[ \t]*(?:import[ \t]+(?:requests|urllib3?|urllib\.request|urllib2|httpx|http\.client|socket|aiohttp|pycurl|ftplib|smtplib|telnetlib)\b|from[ \t]+(?:requests|urllib3?|urllib\.request|urllib2|httpx|http\.client|socket|aiohttp|ftplib|smtplib)\b[^\n]{0,60}\bimport\b)|\b(?:requests|httpx)\.(?:get|post|put|patch|request|Session)\s*\(|\burlopen\s*\(|\burlretrieve\s*\(|\bsocket\.(?:socket|create_connection)\s*\(|__import__\(\s*['"](?:requests|urllib|socket|http)/gm;
const JS_NETWORK =
  /\brequire\s*\(\s*['"`](?:node:)?(?:https?|net|dgram|tls|http2)['"`]\s*\)|\bfrom\s+['"](?:node:)?(?:https?|net|dgram|tls|http2)['"]|\bimport\s*\(\s*['"](?:node:)?(?:https?|net)['"]\s*\)|\bfetch\s*\(|\bnew\s+XMLHttpRequest\b|\baxios(?:\.(?:get|post|request))?\s*\(|\bhttps?\.(?:get|request)\s*\(|\bnew\s+WebSocket\s*\(|\bnavigator\.sendBeacon\s*\(/g;
const RB_NETWORK = /\bNet::(?:HTTP|FTP)\b|\brequire\s+['"]open-uri['"]|\bURI\.open\b|\b(?:TCP|UDP)Socket\b|\bFaraday\b|\bHTTParty\b|\bRestClient\b/g;
const GO_NETWORK = /"net\/http"|"net"[ \t]*$|\bhttp\.(?:Get|Post|PostForm|NewRequest(?:WithContext)?)\s*\(|\bnet\.Dial(?:Timeout)?\s*\(/gm;
const RS_NETWORK = /\breqwest::|\bureq::|\bstd::net::|\bTcpStream::connect\b|\bhyper::|\bcurl::easy\b/g;
const SH_NETWORK = /\b(?:curl|wget|nc|ncat|netcat)\b|\/dev\/tcp\//g;

const PY_SPAWN =
  /\bsubprocess\.\w+\s*\(|\bfrom[ \t]+subprocess[ \t]+import\b|\bos\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\s*\(|\bpty\.spawn\s*\(|\bcommands\.getoutput\s*\(/g;
const JS_SPAWN =
  /\brequire\s*\(\s*['"`](?:node:)?child_process['"`]\s*\)|\bfrom\s+['"](?:node:)?child_process['"]|\b(?:execSync|execFileSync|spawnSync|execFile)\s*\(|\bchild_process\.\w+\s*\(/g;
const RB_SPAWN = /(?:^|[^.\w])(?:system|exec|spawn)\s*\(|`[^`\n]{1,200}`|%x[({[]|\bIO\.popen\b|\bOpen3\.\w+|\bKernel\.(?:system|exec|spawn)\b/gm;
const GO_SPAWN = /"os\/exec"|\bexec\.Command(?:Context)?\s*\(|\bsyscall\.(?:Exec|ForkExec)\b/g;
const RS_SPAWN = /\bCommand::new\s*\(|\bstd::process::Command\b/g;

const PY_FILE_READ = /\bopen\s*\([^)\n]{0,200}\)\s*\.read|\bwith[ \t]+open\s*\(|\.read_(?:text|bytes)\s*\(|\bos\.(?:listdir|walk|scandir)\s*\(|\bglob\.glob\s*\(/g;
const JS_FILE_READ = /\b(?:readFile|readFileSync|createReadStream|readdir|readdirSync)\s*\(/g;
const RB_FILE_READ = /\bFile\.(?:read|open|readlines|foreach|binread)\b|\bIO\.(?:read|readlines)\b|\bDir\.glob\b|\bDir\[/g;
const GO_FILE_READ = /\b(?:os|ioutil)\.(?:ReadFile|Open|ReadDir)\s*\(/g;
const RS_FILE_READ = /\bfs::(?:read|read_to_string|read_dir)\s*\(|\bFile::open\s*\(/g;
const SH_FILE_READ = /\bcat[ \t]+[^\n|;]{0,100}(?:~|\$HOME|\/etc\/)/g;

/** Making a file executable: with a download and a spawn in the same file it completes "download then execute". */
const EXEC_BIT =
  /\bchmod(?:Sync)?\s*\([^)\n]{0,200}(?:0o?7[0-7]{2}|0o?5[0-7]{2}|\b493\b|\b511\b|\b365\b)|\bos\.chmod\s*\([^)\n]{0,200}(?:0o?7[0-7]{2}|0o?5[0-7]{2}|S_IX(?:USR|GRP|OTH))|\bchmod[ \t]+(?:[ugoa]*\+x|[0-7]?[0-7][1357][0-7]{0,2})\b|\bset_permissions\b|\bFile\.chmod\s*\(\s*0?o?7|\bos\.Chmod\([^)\n]{0,200}0o?7/g;

/** What code can do, per language. */
export const CAPABILITY_RULES: readonly LineRule[] = [
  { id: 'network', family: 'network', role: 'capability', severity: 'low', languages: ['python', 'pth'], reason: 'uses the network', find: regexFinder(PY_NETWORK) },
  { id: 'network', family: 'network', role: 'capability', severity: 'low', languages: ['javascript'], reason: 'uses the network', find: regexFinder(JS_NETWORK) },
  { id: 'network', family: 'network', role: 'capability', severity: 'low', languages: ['ruby'], reason: 'uses the network', find: regexFinder(RB_NETWORK) },
  { id: 'network', family: 'network', role: 'capability', severity: 'low', languages: ['go'], reason: 'uses the network', find: regexFinder(GO_NETWORK) },
  { id: 'network', family: 'network', role: 'capability', severity: 'low', languages: ['rust'], reason: 'uses the network', find: regexFinder(RS_NETWORK) },
  { id: 'network', family: 'network', role: 'capability', severity: 'low', languages: ['shell', 'gyp'], reason: 'uses the network', find: regexFinder(SH_NETWORK) },
  { id: 'spawn', family: 'spawn', role: 'capability', severity: 'low', languages: ['python', 'pth'], reason: 'starts processes', find: regexFinder(PY_SPAWN) },
  { id: 'spawn', family: 'spawn', role: 'capability', severity: 'low', languages: ['javascript'], reason: 'starts processes', find: regexFinder(JS_SPAWN) },
  { id: 'spawn', family: 'spawn', role: 'capability', severity: 'low', languages: ['ruby'], reason: 'starts processes', find: regexFinder(RB_SPAWN) },
  { id: 'spawn', family: 'spawn', role: 'capability', severity: 'low', languages: ['go'], reason: 'starts processes', find: regexFinder(GO_SPAWN) },
  { id: 'spawn', family: 'spawn', role: 'capability', severity: 'low', languages: ['rust'], reason: 'starts processes', find: regexFinder(RS_SPAWN) },
  { id: 'file-read', family: 'file-read', role: 'capability', severity: 'low', languages: ['python', 'pth'], reason: 'reads files', find: regexFinder(PY_FILE_READ) },
  { id: 'file-read', family: 'file-read', role: 'capability', severity: 'low', languages: ['javascript'], reason: 'reads files', find: regexFinder(JS_FILE_READ) },
  { id: 'file-read', family: 'file-read', role: 'capability', severity: 'low', languages: ['ruby'], reason: 'reads files', find: regexFinder(RB_FILE_READ) },
  { id: 'file-read', family: 'file-read', role: 'capability', severity: 'low', languages: ['go'], reason: 'reads files', find: regexFinder(GO_FILE_READ) },
  { id: 'file-read', family: 'file-read', role: 'capability', severity: 'low', languages: ['rust'], reason: 'reads files', find: regexFinder(RS_FILE_READ) },
  { id: 'file-read', family: 'file-read', role: 'capability', severity: 'low', languages: ['shell', 'gyp'], reason: 'reads files', find: regexFinder(SH_FILE_READ) },
  { id: 'exec-bit', family: 'download-exec', role: 'marker', severity: 'low', languages: 'any', reason: 'makes a file executable', find: regexFinder(EXEC_BIT) },
];
