import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filesOfProject, linksByCandidateProject, parseDistFilename } from '../../../shared/src/registry/local/distFilename';
import { filenameOfHref, linksOfIndexHtml } from '../../../shared/src/registry/local/indexHtml';
import { indexLocation, latestOf, versionsOfFiles } from '../../../shared/src/registry/local/localIndex';

const brief = (filename: string, project?: string): [string, string, string] | undefined => {
  const f = parseDistFilename(filename, project);
  return f && [f.project, f.version, f.kind];
};

describe('distribution file names (PEP 427 / 625 and legacy sdists)', () => {
  test('wheels: escaped names, build tags, local versions, compressed tag sets', () => {
    assert.deepEqual(brief('absl_py-2.5.0-py3-none-any.whl'), ['absl-py', '2.5.0', 'wheel']);
    assert.deepEqual(brief('PyQt5-5.15.11-cp38-abi3-manylinux_2_17_x86_64.whl'), ['pyqt5', '5.15.11', 'wheel']);
    assert.deepEqual(brief('torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl'), ['torch', '2.13.0+cpu', 'wheel']);
    assert.deepEqual(brief('aiohttp-3.14.3-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl'), ['aiohttp', '3.14.3', 'wheel']);
    // A build tag (sixth part) must start with a digit.
    assert.deepEqual(brief('demo-1.0-1build-py3-none-any.whl'), ['demo', '1.0', 'wheel']);
    assert.equal(brief('demo-1.0-build1-py3-none-any.whl'), undefined);
    // Too few or too many parts is not a wheel.
    assert.equal(brief('demo-1.0-py3-any.whl'), undefined);
    assert.equal(brief('demo-1.0-1-2-py3-none-any.whl'), undefined);
    // An escaped version separator reads back as PEP 440.
    assert.deepEqual(brief('demo-1.0_post1-py3-none-any.whl'), ['demo', '1.0.post1', 'wheel']);
    assert.deepEqual(brief('Demo-1.0RC1-py3-none-any.WHL'), ['demo', '1.0rc1', 'wheel']);
  });

  test('sdists: every archive pip accepts; a dashed legacy name splits where it matches the project', () => {
    assert.deepEqual(brief('Flask_Login-0.6.3.tar.gz'), ['flask-login', '0.6.3', 'sdist']);
    assert.deepEqual(brief('python-dateutil-2.8.2.tar.gz', 'python_dateutil'), ['python-dateutil', '2.8.2', 'sdist']);
    assert.deepEqual(brief('python-dateutil-2.8.2.tar.gz'), ['python-dateutil', '2.8.2', 'sdist']);
    assert.deepEqual(brief('zope.interface-6.0.zip'), ['zope-interface', '6.0', 'sdist']);
    assert.deepEqual(brief('legacy-pkg-1.2.tar.bz2', 'legacy.pkg'), ['legacy-pkg', '1.2', 'sdist']);
    assert.deepEqual(brief('old-0.9.tgz'), ['old', '0.9', 'sdist']);
    assert.deepEqual(brief('old-0.9.tar.xz'), ['old', '0.9', 'sdist']);
    assert.deepEqual(brief('old-0.9.tar'), ['old', '0.9', 'sdist']);
    assert.deepEqual(brief('eggy-1.0-py3.11.egg'), ['eggy', '1.0', 'egg']);
    // Not a PEP 440 version, not an archive, no version at all.
    assert.equal(brief('demo-latest.tar.gz'), undefined);
    assert.equal(brief('demo-1.0.txt'), undefined);
    assert.equal(brief('demo.tar.gz'), undefined);
    assert.equal(brief('index.html'), undefined);
  });

  test('files of one project: `-`, `_`, `.` and case are one name; a longer sibling name is not', () => {
    const files = filesOfProject('Zope.Interface', [
      { filename: 'zope_interface-6.0-cp311-cp311-linux_x86_64.whl' },
      { filename: 'zope.interface-6.0.tar.gz' },
      { filename: 'Zope-Interface-5.5.zip' },
      { filename: 'zope_interface_extra-1.0.tar.gz' },
      { filename: 'zope_interface_extra-1.0-py3-none-any.whl' },
      { filename: 'README.txt' },
    ]);
    assert.deepEqual(files.map((f) => `${f.filename} ${f.version}`), ['zope_interface-6.0-cp311-cp311-linux_x86_64.whl 6.0', 'zope.interface-6.0.tar.gz 6.0', 'Zope-Interface-5.5.zip 5.5']);
  });

  test('grouping by candidate project: a wheel under its name, a dashed sdist under each prefix', () => {
    const groups = linksByCandidateProject([{ filename: 'Python_Dateutil-2.9.0-py3-none-any.whl' }, { filename: 'python-dateutil-2.8.2.tar.gz' }, { filename: 'notes.txt' }]);
    assert.deepEqual(groups.get('python-dateutil')?.map((l) => l.filename), ['Python_Dateutil-2.9.0-py3-none-any.whl', 'python-dateutil-2.8.2.tar.gz']);
    assert.deepEqual(groups.get('python')?.map((l) => l.filename), ['python-dateutil-2.8.2.tar.gz']);
    // The candidate `python` gets the file, but it does not parse as python's.
    assert.deepEqual(filesOfProject('python', groups.get('python') ?? []), []);
    assert.equal(groups.has('notes.txt'), false);
  });

  test('versions of files: a wheel means no build; sdist-only versions build from source; yanked only when every file is', () => {
    const files = filesOfProject('demo', [
      { filename: 'demo-1.0-py3-none-any.whl' },
      { filename: 'demo-1.0.tar.gz' },
      { filename: 'demo-1.1.tar.gz' },
      { filename: 'demo-2.0-py3-none-any.whl', yanked: 'broken build' },
      { filename: 'demo-2.0.tar.gz', yanked: true },
      { filename: 'demo-2.1rc1-py3-none-any.whl' },
      { filename: 'demo-1.10-py3-none-any.whl' },
    ]);
    const versions = versionsOfFiles(files);
    // PEP 440 order, not string order (1.10 after 1.1).
    assert.deepEqual(versions.map((v) => v.version), ['1.0', '1.1', '1.10', '2.0', '2.1rc1']);
    assert.equal(versions.find((v) => v.version === '1.0')?.installScripts, undefined);
    assert.deepEqual(versions.find((v) => v.version === '1.1')?.installScripts, ['sdist build (setup.py / build backend)']);
    assert.equal(versions.find((v) => v.version === '2.0')?.yanked, true);
    assert.equal(versions.find((v) => v.version === '2.0')?.yankedReason, 'broken build');
    // The newest non-yanked final release, as pip would pick without a pin.
    assert.equal(latestOf(versions), '1.10');
    assert.equal(latestOf(versionsOfFiles(filesOfProject('demo', [{ filename: 'demo-3.0b1.tar.gz' }]))), '3.0b1');
  });
});

describe('PEP 503 HTML pages', () => {
  test('anchors: relative hrefs with hash fragments, entities, percent-encoding, data-yanked with and without a reason', () => {
    const html = `<!DOCTYPE html><html><body>
<a href="../../files/aiohttp-3.14.3-cp311-cp311-manylinux_2_28_x86_64.whl#sha256=53e7">aiohttp-3.14.3-cp311-cp311-manylinux_2_28_x86_64.whl</a><br/>
<A HREF="https://files.example/p/aiohttp-3.9.0.tar.gz?x=1&amp;y=2" data-requires-python="&gt;=3.8">aiohttp-3.9.0.tar.gz</A>
<a href="aiohttp-3.13.0%2Blocal-py3-none-any.whl" data-yanked="">x</a>
<a href="aiohttp-3.12.0-py3-none-any.whl" data-yanked="CVE &amp; regression">y</a>
<a name="no-href">z</a>
</body></html>`;
    assert.deepEqual(linksOfIndexHtml(html), [
      { filename: 'aiohttp-3.14.3-cp311-cp311-manylinux_2_28_x86_64.whl' },
      { filename: 'aiohttp-3.9.0.tar.gz' },
      { filename: 'aiohttp-3.13.0+local-py3-none-any.whl', yanked: true },
      { filename: 'aiohttp-3.12.0-py3-none-any.whl', yanked: 'CVE & regression' },
    ]);
    assert.equal(filenameOfHref('https://x.example/dir/'), undefined);
  });
});

describe('index locations', () => {
  test('http(s) goes to the network, file:// and folders to the disk, other schemes are unsupported', () => {
    assert.deepEqual(indexLocation('https://pypi.corp.example/simple'), { kind: 'http', url: 'https://pypi.corp.example/simple' });
    assert.deepEqual(indexLocation('file:///srv/wheel%20house/simple'), { kind: 'local', path: '/srv/wheel house/simple' });
    assert.deepEqual(indexLocation('file://localhost/srv/simple'), { kind: 'local', path: '/srv/simple' });
    assert.deepEqual(indexLocation('/srv/wheels'), { kind: 'local', path: '/srv/wheels' });
    assert.deepEqual(indexLocation('./wheels'), { kind: 'local', path: './wheels' });
    assert.equal(indexLocation('C:\\wheels').kind, 'local');
    const ftp = indexLocation('ftp://mirror.example/simple');
    assert.equal(ftp.kind, 'unsupported');
    assert.match(ftp.kind === 'unsupported' ? ftp.reason : '', /unsupported scheme 'ftp:'/);
    assert.equal(indexLocation('s3://bucket/simple').kind, 'unsupported');
    if (process.platform !== 'win32') {
      const remote = indexLocation('file://fileserver/share/simple');
      assert.equal(remote.kind, 'unsupported');
      assert.match(remote.kind === 'unsupported' ? remote.reason : '', /file:\/\/fileserver\/share\/simple cannot be read/);
    }
  });
});
