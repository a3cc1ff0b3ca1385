import { regexFinder, type LineRule } from './ruleTypes';

// Install-time hooks that live inside code files; package.json scripts, pyproject backends, .pth files
// and binding.gyp commands are structural and handled by their own readers.

const SETUP_CMDCLASS = /\bcmdclass\s*=\s*\{[^}]{0,400}?['"](?:install|develop|egg_info|bdist_egg|bdist_wheel|sdist|build_py)['"]\s*:|\bclass\s+\w+\s*\(\s*(?:_?install|develop|egg_info|bdist_egg|build_py)\s*\)/g;
const SETUP_CFG_CMDCLASS = /^[ \t]*cmdclass[ \t]*=|^[ \t]*(?:install|develop|egg_info|build_py)[ \t]*=[ \t]*[\w.]+:/gm;
const GEMSPEC_EXTENSIONS = /\.extensions\s*(?:=|<<|\+=|\.push|\.concat)/g;

/** Hooks that replace a package manager's install step with the package's own code. */
export const HOOK_RULES: readonly LineRule[] = [
  { id: 'setup-cmdclass', family: 'install-hook', role: 'indicator', severity: 'low', languages: ['python'], reason: 'setup.py replaces an install/develop/egg_info/build command with its own code', find: regexFinder(SETUP_CMDCLASS), installTimeOnly: true, escalateWith: ['network', 'spawn'] },
  { id: 'setup-cfg-cmdclass', family: 'install-hook', role: 'indicator', severity: 'low', languages: ['setup-cfg'], reason: 'setup.cfg replaces a setuptools command with package code', find: regexFinder(SETUP_CFG_CMDCLASS) },
  { id: 'gem-extension', family: 'install-hook', role: 'indicator', severity: 'low', languages: ['ruby'], reason: 'gemspec declares native extensions (extconf.rb runs at install)', find: regexFinder(GEMSPEC_EXTENSIONS), installTimeOnly: true },
];
