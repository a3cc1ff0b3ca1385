/**
 * Builds every attack package of the suite from the payloads in ./fixtures, with the listener's ports
 * (and, for the file-system attacks, the fake home's path) baked in at build time: a sandbox hands
 * package code no environment from the host, so only a baked address proves where the code could reach.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CrateFile, GoModuleVersion, NpmPublication, PythonDistribution } from '../support/localRegistries';
import { sha256Hex } from '../support/localRegistries';
import { tarGz, type TarEntry } from './tarWriter';
import { zip, type ZipFile } from './zipWriter';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Values baked into the fixtures when they are built. */
export interface Bake {
  httpPort: number;
  dnsPort: number;
  /** Absolute path of the run's fake home (targets of the hostile links). */
  fakeHome: string;
  /** Absolute path an archive's absolute-path entry tries to write (inside the run's temp dir). */
  absoluteEscape: string;
}

async function fixture(rel: string, attack: string, bake: Bake): Promise<string> {
  const text = await readFile(path.join(FIXTURES, rel), 'utf8');
  return text
    .replaceAll('@@ATTACK@@', attack)
    .replaceAll('@@HTTP_PORT@@', String(bake.httpPort))
    .replaceAll('@@DNS_PORT@@', String(bake.dnsPort))
    .replaceAll('@@FAKE_HOME@@', bake.fakeHome);
}

// ---------------------------------------------------------------------------------------------------
// npm

const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'];

/** Files of an npm package (paths relative to the package root). */
export type FileMap = Record<string, string | Buffer>;

function npmPublication(manifest: NpmPublication['manifest'], files: FileMap, extraEntries: TarEntry[] = []): NpmPublication {
  const entries: TarEntry[] = [{ type: 'dir', path: 'package/' }];
  entries.push({ type: 'file', path: 'package/package.json', data: `${JSON.stringify(manifest, null, 2)}\n` });
  for (const [rel, data] of Object.entries(files)) entries.push({ type: 'file', path: `package/${rel}`, data, mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
  entries.push(...extraEntries);
  const scripts = (manifest.scripts ?? {}) as Record<string, string>;
  const hasInstallScript = INSTALL_HOOKS.some((h) => h in scripts) || 'binding.gyp' in files;
  // What `npm publish` would put in the packument; npm reads it to decide whether scripts may exist.
  const published = hasInstallScript ? { ...manifest, hasInstallScript: true } : manifest;
  return { manifest: published, tarball: tarGz(entries) };
}

function npmManifest(name: string, extra: Record<string, unknown> = {}): NpmPublication['manifest'] {
  return { name, version: '1.0.0', description: 'INERT attack fixture of the safe-install test suite', license: 'MIT', main: 'index.js', ...extra };
}

const INDEX_JS = "'use strict';\nmodule.exports = {};\n";

/** The npm attack packages, plus the plain files of the `prepare` one (served as a git repository for its control). */
export async function buildNpmPackages(bake: Bake): Promise<{ packages: Map<string, NpmPublication>; prepareFiles: FileMap; prepareManifest: NpmPublication['manifest'] }> {
  const packages = new Map<string, NpmPublication>();
  const withSteal = async (attack: string): Promise<FileMap> => ({ 'index.js': INDEX_JS, 'steal.js': await fixture('payloads/steal.js', attack, bake) });

  packages.set('npm-preinstall', npmPublication(npmManifest('si-attack-preinstall', { scripts: { preinstall: 'node steal.js' } }), await withSteal('npm-preinstall')));
  packages.set('npm-postinstall', npmPublication(npmManifest('si-attack-postinstall', { scripts: { postinstall: 'node steal.js' } }), await withSteal('npm-postinstall')));
  const prepareManifest = npmManifest('si-attack-prepare', { scripts: { prepare: 'node steal.js' } });
  const prepareFiles = await withSteal('npm-prepare');
  packages.set('npm-prepare', npmPublication(prepareManifest, prepareFiles));

  const gyp = {
    targets: [{
      target_name: 'si_attack_gyp',
      type: 'none',
      actions: [{ action_name: 'collect', inputs: ['steal.js'], outputs: ['<(INTERMEDIATE_DIR)/collected.txt'], action: ['node', 'steal.js', 'binding.gyp-action'] }],
    }],
  };
  packages.set('npm-binding-gyp', npmPublication(npmManifest('si-attack-gyp', { gypfile: true }),
    { ...(await withSteal('npm-binding-gyp')), 'binding.gyp': `${JSON.stringify(gyp, null, 2)}\n` }));

  packages.set('fork-bomb', npmPublication(npmManifest('si-attack-forkbomb', { scripts: { postinstall: 'sh bomb.sh' } }),
    { ...(await withSteal('fork-bomb')), 'bomb.sh': await fixture('npm/bomb.sh', 'fork-bomb', bake) }));
  packages.set('disk-fill', npmPublication(npmManifest('si-attack-diskfill', { scripts: { postinstall: 'node fill.js' } }),
    { ...(await withSteal('disk-fill')), 'fill.js': await fixture('npm/fill.js', 'disk-fill', bake) }));

  // Entries every extractor must refuse; targets are the run's fake home and temp dir, never real paths.
  const hostile: TarEntry[] = [
    { type: 'file', path: 'package/../../../si-escape-dotdot.txt', data: 'escaped with ../\n' },
    { type: 'file', path: bake.absoluteEscape, data: 'escaped with an absolute path\n' },
    { type: 'symlink', path: 'package/link-to-ssh', target: path.join(bake.fakeHome, '.ssh') },
    { type: 'file', path: 'package/link-to-ssh/authorized_keys', data: 'ssh-ed25519 AAAA-written-through-a-symlink si-attack\n' },
    { type: 'hardlink', path: 'package/hardlink-to-key', target: path.join(bake.fakeHome, '.ssh', 'id_ed25519') },
    { type: 'chardev', path: 'package/dev-zero', major: 1, minor: 5, mode: 0o666 },
    { type: 'fifo', path: 'package/fifo' },
    { type: 'file', path: 'package/suid-tool', data: '#!/bin/sh\nid\n', mode: 0o4755 },
  ];
  packages.set('archive-npm', npmPublication(npmManifest('si-attack-archive'), { 'index.js': INDEX_JS }, hostile));
  packages.set('archive-copyout', npmPublication(npmManifest('si-attack-copyout', { scripts: { postinstall: 'node plant.js' } }),
    { 'index.js': INDEX_JS, 'plant.js': await fixture('npm/plant.js', 'archive-copyout', bake) }));
  return { packages, prepareFiles, prepareManifest };
}

// ---------------------------------------------------------------------------------------------------
// PyPI

function pkgInfo(name: string, version: string): string {
  return `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: INERT attack fixture of the safe-install test suite\nLicense: MIT\n`;
}

function sdist(name: string, version: string, files: FileMap): PythonDistribution {
  const base = `${name.replace(/-/g, '_')}-${version}`;
  const entries: TarEntry[] = [{ type: 'dir', path: `${base}/` }, { type: 'file', path: `${base}/PKG-INFO`, data: pkgInfo(name, version) }];
  for (const [rel, data] of Object.entries(files)) entries.push({ type: 'file', path: `${base}/${rel}`, data });
  return { project: name, filename: `${base}.tar.gz`, data: tarGz(entries) };
}

function recordHash(data: Buffer): string {
  return `sha256=${Buffer.from(sha256Hex(data), 'hex').toString('base64url')}`;
}

/** A pure-Python wheel with its dist-info (METADATA, WHEEL, RECORD). */
export function wheel(name: string, version: string, files: FileMap): PythonDistribution {
  const dist = `${name.replace(/-/g, '_')}-${version}`;
  const all: ZipFile[] = Object.entries(files).map(([p, d]) => ({ path: p, data: typeof d === 'string' ? Buffer.from(d) : d }));
  all.push({ path: `${dist}.dist-info/METADATA`, data: Buffer.from(pkgInfo(name, version)) });
  all.push({ path: `${dist}.dist-info/WHEEL`, data: Buffer.from('Wheel-Version: 1.0\nGenerator: safe-install-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n') });
  const record = all.map((f) => {
    const data = typeof f.data === 'string' ? Buffer.from(f.data) : f.data;
    return `${f.path},${recordHash(data)},${data.length}`;
  });
  record.push(`${dist}.dist-info/RECORD,,`);
  all.push({ path: `${dist}.dist-info/RECORD`, data: Buffer.from(`${record.join('\n')}\n`) });
  return { project: name, filename: `${dist}-py3-none-any.whl`, data: zip(all) };
}

const CMDCLASS_SETUP = `# INERT TEST FIXTURE: setup.py whose cmdclass runs the stealer when pip builds or installs it.
import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.install import install

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


class StealOnBuild(build_py):
    def run(self):
        from si_attack_cmdclass import _steal
        _steal.steal("cmdclass-build_py")
        build_py.run(self)


class StealOnInstall(install):
    def run(self):
        from si_attack_cmdclass import _steal
        _steal.steal("cmdclass-install")
        install.run(self)


setup(
    name="si-attack-cmdclass",
    version="1.0.0",
    packages=["si_attack_cmdclass"],
    cmdclass={"build_py": StealOnBuild, "install": StealOnInstall},
)
`;

const METADATA_SETUP = `# INERT TEST FIXTURE: code at the top of setup.py runs as soon as pip asks the sdist for its
# metadata (egg_info) — already during \`pip download\`, before anything is installed.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from si_attack_metadata import _steal  # noqa: E402

_steal.steal("setup.py-top-level")

from setuptools import setup  # noqa: E402

setup(name="si-attack-metadata", version="1.0.0", packages=["si_attack_metadata"])
`;

const BACKEND = `# INERT TEST FIXTURE: an in-tree PEP 517 build backend (pyproject \`backend-path\`). Importing it runs
# the stealer; it then builds a real wheel with the standard library only, so no build requirements.
import base64
import hashlib
import os
import sys
import tarfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _steal  # noqa: E402

_steal.steal("in-tree-backend-import")

NAME = "si_attack_backend"
VERSION = "1.0.0"
DIST = NAME + "-" + VERSION
METADATA = "Metadata-Version: 2.1\\nName: si-attack-backend\\nVersion: 1.0.0\\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def _digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = {
        NAME + "/__init__.py": b"",
        DIST + ".dist-info/METADATA": METADATA.encode(),
        DIST + ".dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: si-backend\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }
    record = "".join("%s,%s,%d\\n" % (p, _digest(d), len(d)) for p, d in files.items()) + DIST + ".dist-info/RECORD,,\\n"
    files[DIST + ".dist-info/RECORD"] = record.encode()
    name = DIST + "-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for p, d in files.items():
            z.writestr(p, d)
    return name


def build_sdist(sdist_directory, config_settings=None):
    name = DIST + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        t.add(".", arcname=DIST)
    return name
`;

const BACKEND_PYPROJECT = `[build-system]
requires = []
build-backend = "si_backend"
backend-path = ["_build"]

[project]
name = "si-attack-backend"
version = "1.0.0"
`;

/** The PyPI attack distributions, keyed by attack id. */
export async function buildPythonDistributions(bake: Bake): Promise<Map<string, PythonDistribution>> {
  const dists = new Map<string, PythonDistribution>();
  dists.set('pip-cmdclass', sdist('si-attack-cmdclass', '1.0.0', {
    'setup.py': CMDCLASS_SETUP,
    'si_attack_cmdclass/__init__.py': '',
    'si_attack_cmdclass/_steal.py': await fixture('payloads/steal.py', 'pip-cmdclass', bake),
  }));
  dists.set('pip-backend', sdist('si-attack-backend', '1.0.0', {
    'pyproject.toml': BACKEND_PYPROJECT,
    '_build/si_backend.py': BACKEND,
    '_build/_steal.py': await fixture('payloads/steal.py', 'pip-backend', bake),
  }));
  dists.set('pip-pth', wheel('si-attack-pth', '1.0.0', {
    'si_attack_pth/__init__.py': '',
    'si_attack_pth/_steal.py': await fixture('payloads/steal.py', 'pip-pth', bake),
    'si_attack_pth/_hook.py': await fixture('pip/pth_hook.py', 'pip-pth', bake),
    'si_attack_pth.pth': 'import si_attack_pth._hook\n',
  }));
  dists.set('pip-metadata', sdist('si-attack-metadata', '1.0.0', {
    'setup.py': METADATA_SETUP,
    'si_attack_metadata/__init__.py': '',
    'si_attack_metadata/_steal.py': await fixture('payloads/steal.py', 'pip-metadata', bake),
  }));
  return dists;
}

// ---------------------------------------------------------------------------------------------------
// crates.io

/** The `build.rs` crate. */
export async function buildCrates(bake: Bake): Promise<Map<string, CrateFile>> {
  const name = 'si-attack-build-rs';
  const version = '1.0.0';
  const base = `${name}-${version}`;
  const cargoToml = `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2018"\nbuild = "build.rs"\ndescription = "INERT attack fixture of the safe-install test suite"\nlicense = "MIT"\n\n[lib]\npath = "src/lib.rs"\n`;
  const data = tarGz([
    { type: 'dir', path: `${base}/` },
    { type: 'file', path: `${base}/Cargo.toml`, data: cargoToml },
    { type: 'file', path: `${base}/build.rs`, data: await fixture('payloads/build.rs', 'cargo-build-rs', bake) },
    { type: 'dir', path: `${base}/src/` },
    { type: 'file', path: `${base}/src/lib.rs`, data: '//! INERT attack fixture.\npub fn answer() -> u32 { 42 }\n' },
  ]);
  return new Map([['cargo-build-rs', { name, version, data }]]);
}

// ---------------------------------------------------------------------------------------------------
// Go

/** Module path of the init() attack (a `.test` host: never a real one). */
export const GO_ATTACK_MODULE = 'si-attack.test/init-payload';

/** The Go module whose init() steals when a program importing it starts (nothing runs at download). */
export async function buildGoModules(bake: Bake): Promise<GoModuleVersion[]> {
  const version = 'v1.0.0';
  const prefix = `${GO_ATTACK_MODULE}@${version}/`;
  const goMod = `module ${GO_ATTACK_MODULE}\n\ngo 1.19\n`;
  return [{
    module: GO_ATTACK_MODULE,
    version,
    goMod,
    zip: zip([
      { path: `${prefix}go.mod`, data: goMod },
      { path: `${prefix}steal.go`, data: await fixture('payloads/steal.go', 'go-init', bake) },
    ]),
  }];
}

/** A program that imports the attack module (what a developer builds after the download). */
export function goControlProgram(): FileMap {
  return {
    'go.mod': `module attacktarget\n\ngo 1.19\n\nrequire ${GO_ATTACK_MODULE} v1.0.0\n`,
    'main.go': `package main\n\nimport _ "${GO_ATTACK_MODULE}"\n\nfunc main() {}\n`,
  };
}

// ---------------------------------------------------------------------------------------------------
// RubyGems

/** Source tree of the extconf.rb gem (build it with `gem build si-attack-extconf.gemspec`). */
export async function gemSourceFiles(bake: Bake): Promise<FileMap> {
  const gemspec = `Gem::Specification.new do |s|
  s.name = 'si-attack-extconf'
  s.version = '1.0.0'
  s.summary = 'INERT attack fixture of the safe-install test suite'
  s.authors = ['safe-install tests']
  s.license = 'MIT'
  s.files = ['lib/si_attack_extconf.rb', 'ext/si_attack_extconf/extconf.rb', 'ext/si_attack_extconf/steal.rb', 'ext/si_attack_extconf/si_attack_extconf.c']
  s.extensions = ['ext/si_attack_extconf/extconf.rb']
  s.add_runtime_dependency 'si-attack-gemdep', '~> 1.0'
end
`;
  const extconf = `# INERT TEST FIXTURE: extconf.rb runs when the gem's native extension is built at install time.
require_relative 'steal'
SiAttackSteal.run
require 'mkmf'
create_makefile('si_attack_extconf')
`;
  return {
    'si-attack-extconf.gemspec': gemspec,
    'lib/si_attack_extconf.rb': "# INERT attack fixture.\nmodule SiAttackExtconf; end\n",
    'ext/si_attack_extconf/extconf.rb': extconf,
    'ext/si_attack_extconf/steal.rb': await fixture('payloads/steal.rb', 'gem-extconf', bake),
    'ext/si_attack_extconf/si_attack_extconf.c': 'void Init_si_attack_extconf(void) {}\n',
  };
}

/** A plain (benign) gem the extconf gem depends on: the sandbox must resolve and fetch it too. */
export function gemDependencyFiles(): FileMap {
  return {
    'si-attack-gemdep.gemspec': `Gem::Specification.new do |s|
  s.name = 'si-attack-gemdep'
  s.version = '1.0.1'
  s.summary = 'Benign dependency of an attack fixture of the safe-install test suite'
  s.authors = ['safe-install tests']
  s.license = 'MIT'
  s.files = ['lib/si_attack_gemdep.rb']
end
`,
    'lib/si_attack_gemdep.rb': "# Benign dependency fixture.\nmodule SiAttackGemdep; end\n",
  };
}
