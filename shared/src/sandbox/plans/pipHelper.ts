/**
 * The fixed Python program the pip plan runs inside the sandbox (written onto the run volume at every
 * fetch phase, run with `python3 -I`). It only downloads and reads static files; it never imports or
 * runs package code. Package names reach it as argv elements, never as code.
 *   report REPORT DEST        download every remote wheel of a `pip install --report`, check SHA-256
 *   resolve REPORT DEST ARGS  run pip (in this process, saving an interpreter start) with ARGS, then `report`
 *   sdist INDEX REQ DEST      pick the newest sdist matching REQ from a simple index (PEP 691 JSON or
 *                             PEP 503 HTML), download it, and read build-system.requires from its
 *                             pyproject.toml (static TOML, not setup.py)
 *   adopt SRC DEST NAME VER   move the wheel built for NAME VER from SRC to DEST, discard everything else
 * Each prints one JSON object per line.
 */
export const PIP_HELPER_FILE = 'si_pip.py';

/** Source of the helper. */
export const PIP_HELPER_SOURCE = String.raw`
import hashlib, html.parser, json, os, re, shutil, sys, tarfile, urllib.parse, urllib.request, zipfile

def norm(name):
    return re.sub(r'[-_.]+', '-', name).lower()

def fetch(url, dest):
    req = urllib.request.Request(url, headers={'User-Agent': 'safe-install-sandbox'})
    h = hashlib.sha256()
    with urllib.request.urlopen(req, timeout=120) as r, open(dest, 'xb') as f:
        while True:
            b = r.read(1 << 16)
            if not b:
                break
            h.update(b)
            f.write(b)
    return h.hexdigest()

def safe_name(fn, pattern):
    if not re.fullmatch(pattern, fn):
        raise SystemExit('unexpected file name: %r' % fn)
    return fn

def cmd_report(report_path, dest):
    with open(report_path) as f:
        rep = json.load(f)
    for item in rep.get('install', []):
        info = item.get('download_info') or {}
        url = info.get('url', '')
        meta = item.get('metadata') or {}
        out = {'name': meta.get('name'), 'version': meta.get('version'), 'url': url, 'requested': bool(item.get('requested'))}
        path = urllib.parse.unquote(urllib.parse.urlparse(url).path)
        fn = safe_name(os.path.basename(path), r'[A-Za-z0-9._+!-]+\.whl')
        if url.startswith('file:'):
            out['file'] = fn
            out['local'] = True
        else:
            digest = fetch(url, os.path.join(dest, fn))
            hashes = (info.get('archive_info') or {}).get('hashes') or {}
            want = hashes.get('sha256')
            if want and want != digest:
                raise SystemExit('sha256 mismatch for %s: index says %s, got %s' % (fn, want, digest))
            out['file'] = fn
            out['sha256'] = digest
        print(json.dumps(out), flush=True)

class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
    def handle_starttag(self, tag, attrs):
        if tag == 'a':
            a = dict(attrs)
            if a.get('href'):
                self.links.append((a['href'], a.get('data-yanked') is not None))

def read_pyproject(path):
    data = None
    if path.endswith('.zip'):
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.count('/') == 1 and n.endswith('/pyproject.toml')]
            if names and z.getinfo(names[0]).file_size < 1 << 20:
                data = z.read(names[0])
    else:
        with tarfile.open(path) as t:
            for m in t.getmembers():
                if m.isfile() and m.name.count('/') == 1 and m.name.endswith('/pyproject.toml') and m.size < 1 << 20:
                    data = t.extractfile(m).read()
                    break
    if data is None:
        return ['setuptools>=40.8.0', 'wheel']
    try:
        import tomllib
        build = tomllib.loads(data.decode('utf-8')).get('build-system', {})
    except Exception:
        return ['setuptools>=40.8.0', 'wheel']
    reqs = build.get('requires')
    return [r for r in reqs if isinstance(r, str)] if isinstance(reqs, list) else ['setuptools>=40.8.0', 'wheel']

def cmd_sdist(index, requirement, dest):
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.version import InvalidVersion, Version
    req = Requirement(requirement)
    name = norm(req.name)
    page = index.rstrip('/') + '/' + name + '/'
    request = urllib.request.Request(page, headers={'Accept': 'application/vnd.pypi.simple.v1+json, text/html;q=0.1', 'User-Agent': 'safe-install-sandbox'})
    with urllib.request.urlopen(request, timeout=60) as resp:
        ctype = resp.headers.get('Content-Type', '')
        body = resp.read(32 << 20)
        base = resp.geturl()
    files = []
    if 'json' in ctype:
        for f in json.loads(body).get('files', []):
            files.append((f['filename'], urllib.parse.urljoin(base, f['url']), (f.get('hashes') or {}).get('sha256'), bool(f.get('yanked'))))
    else:
        p = Links()
        p.feed(body.decode('utf-8', 'replace'))
        for href, yanked in p.links:
            url = urllib.parse.urljoin(base, href)
            parsed = urllib.parse.urlparse(url)
            frag = dict(x.split('=', 1) for x in parsed.fragment.split('&') if '=' in x)
            files.append((os.path.basename(urllib.parse.unquote(parsed.path)), url.split('#')[0], frag.get('sha256'), yanked))
    best = None
    for fn, url, sha, yanked in files:
        m = re.fullmatch(r'(.+)-([^-]+)\.(tar\.gz|zip)', fn)
        if yanked or not m or norm(m.group(1)) != name:
            continue
        try:
            v = Version(m.group(2))
        except InvalidVersion:
            continue
        if req.specifier.contains(v) and (best is None or v > best[0]):
            best = (v, fn, url, sha)
    if best is None:
        raise SystemExit('no sdist of %s matches %s on %s' % (name, str(req.specifier) or 'any version', index))
    v, fn, url, sha = best
    fn = safe_name(fn, r'[A-Za-z0-9._+!-]+\.(tar\.gz|zip)')
    target = os.path.join(dest, fn)
    digest = fetch(url, target)
    if sha and sha != digest:
        raise SystemExit('sha256 mismatch for %s' % fn)
    print(json.dumps({'name': req.name, 'version': str(v), 'url': url, 'file': fn, 'sha256': digest, 'buildRequires': read_pyproject(target)}), flush=True)

def cmd_adopt(src, dest, name, version):
    want = norm(name).replace('-', '_')
    found = []
    for fn in sorted(os.listdir(src)):
        p = os.path.join(src, fn)
        parts = fn.split('-')
        if fn.endswith('.whl') and os.path.isfile(p) and not os.path.islink(p) and len(parts) >= 5 and norm(parts[0]).replace('-', '_') == want:
            shutil.move(p, os.path.join(dest, fn))
            found.append(fn)
    shutil.rmtree(src, ignore_errors=True)
    if not found:
        raise SystemExit('the build of %s %s produced no wheel' % (name, version))
    print(json.dumps({'name': name, 'version': version, 'files': found}), flush=True)

def cmd_resolve(report_path, dest, *pip_args):
    from pip._internal.cli.main import main as pip_main
    code = pip_main(list(pip_args))
    sys.stdout.flush()
    if code:
        sys.exit(code)
    cmd_report(report_path, dest)

if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    {'report': cmd_report, 'sdist': cmd_sdist, 'adopt': cmd_adopt, 'resolve': cmd_resolve}[cmd](*args)
    # Every file is closed by now; skipping the interpreter's teardown (pip loaded hundreds of modules) saves time.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
`;
