// package.json contributions agree with the code: every command the extension registers is contributed
// under the "Safe Install" category, menus and walkthroughs name real commands and views, grammars
// and language configurations exist and their patterns compile, and everything shipped is allow-listed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { COMMAND_IDS } from '../../../client/src/commands/commandIds';
import { SERVER_SETTING_KEYS, SETTING_CLASSES, SETTINGS } from '../../../client/src/settingClasses';
import { SERVER_SETTING_TOML } from '../../../server/src/settings/resourceSettings';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

interface Pkg {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    walkthroughs: Array<{ steps: Array<{ media: { markdown?: string }; completionEvents?: string[] }> }>;
    languages: Array<{ id: string; configuration: string }>;
    grammars: Array<{ language: string; path: string; scopeName: string }>;
    configuration: { properties: Record<string, { markdownDescription?: string; restricted?: boolean; scope?: string }> };
  };
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
}

async function pkg(): Promise<Pkg> {
  return JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as Pkg;
}

test('every registered command is contributed in the Safe Install category, and nothing else is', async () => {
  const { contributes } = await pkg();
  const contributed = contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, [...COMMAND_IDS].sort());
  for (const c of contributes.commands) assert.equal(c.category, 'Safe Install', c.command);
  for (const title of ['Install Package…', "Install This Manifest's Dependencies", 'Audit Package…', 'Check Environment', 'Scan Workspace', 'Cancel Install', 'Show Last Report']) {
    assert.ok(contributes.commands.some((c) => c.title === title), title);
  }
});

test('menus, views and the walkthrough point at things that exist', async () => {
  const { contributes } = await pkg();
  const commands = new Set(contributes.commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(contributes.menus)) for (const item of items) assert.ok(commands.has(item.command), `${menu}: ${item.command}`);
  const viewIds = contributes.views.safeInstall?.map((v) => v.id) ?? [];
  assert.deepEqual(viewIds, ['safeInstall.installs', 'safeInstall.exposure', 'safeInstall.findings']);
  assert.equal(contributes.viewsContainers.activitybar[0]?.id, 'safeInstall');
  await readFile(path.join(ROOT, contributes.viewsContainers.activitybar[0]?.icon ?? 'missing'));
  for (const step of contributes.walkthroughs[0]?.steps ?? []) {
    await readFile(path.join(ROOT, step.media.markdown ?? 'missing'));
    for (const event of step.completionEvents ?? []) {
      const [kind, id = ''] = event.split(':');
      if (kind === 'onCommand') assert.ok(commands.has(id), event);
      if (kind === 'onView') assert.ok(viewIds.includes(id), event);
    }
  }
});

test('settings are classified, and the dangerous ones are restricted in untrusted workspaces', async () => {
  const { contributes, capabilities } = await pkg();
  for (const key of Object.keys(contributes.configuration.properties)) assert.ok(key in SETTING_CLASSES, `classify ${key} in client/src/settings.ts`);
  assert.equal(capabilities.untrustedWorkspaces.supported, 'limited');
  for (const key of ['safeInstall.typosquat.enabled', 'safeInstall.sandbox.enabled']) assert.ok(capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
});

test('every setting says how it applies, names its toml key, and is in docs/settings.md with its class', async () => {
  const { contributes, capabilities } = await pkg();
  const doc = await readFile(path.join(ROOT, 'docs', 'settings.md'), 'utf8');
  const keys = Object.keys(contributes.configuration.properties);
  assert.deepEqual([...keys].sort(), Object.keys(SETTINGS).sort(), 'the table and package.json list the same settings');
  for (const [key, property] of Object.entries(contributes.configuration.properties)) {
    const info = SETTINGS[key];
    assert.ok(info, key);
    const description = property.markdownDescription ?? '';
    if (info.class === 'restart') assert.match(description, /restarts the language server/, key);
    else assert.match(description, /Applies at once|Applies at the next install|No install step reads/, key);
    if (info.toml) {
      const [table, ...rest] = info.toml.split('.');
      assert.ok(description.includes(`\`[${table}] ${rest.join('.')}\``), `${key} names [${table}] ${rest.join('.')}`);
    }
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
    assert.ok(row, `docs/settings.md has a row for ${key}`);
    const cells = row.split('|').map((c) => c.trim());
    assert.equal(cells[3], info.class, `${key} class in docs`);
    if (info.toml) assert.equal(cells[2], `\`${info.toml}\``, `${key} toml key in docs`);
    const who = { user: 'user only', tighten: 'workspace may tighten', any: 'anyone' }[info.who];
    assert.equal(cells[5], who, `${key} authority in docs`);
    // What a workspace may only tighten, an untrusted workspace may not set at all.
    if (info.who === 'tighten' || (info.who === 'user' && property.scope !== 'machine')) {
      assert.equal(property.restricted, true, `${key} is restricted`);
      assert.ok(capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), `${key} in restrictedConfigurations`);
    }
  }
});

test('the client sends the server every setting the server reads', () => {
  assert.deepEqual([...SERVER_SETTING_KEYS].sort(), Object.keys(SERVER_SETTING_TOML).sort());
  for (const key of SERVER_SETTING_KEYS) assert.equal(SETTINGS[`safeInstall.${key}`]?.toml, SERVER_SETTING_TOML[key], key);
});

test('grammars and language configurations load, and their patterns compile', async () => {
  const { contributes } = await pkg();
  for (const language of contributes.languages) JSON.parse(await readFile(path.join(ROOT, language.configuration), 'utf8'));
  for (const grammar of contributes.grammars) {
    const json = JSON.parse(await readFile(path.join(ROOT, grammar.path), 'utf8')) as Record<string, unknown>;
    assert.equal(json.scopeName, grammar.scopeName);
    let patterns = 0;
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'match' || key === 'begin' || key === 'end') && typeof value === 'string') {
          // Oniguruma and JavaScript agree on every construct these grammars use.
          assert.doesNotThrow(() => new RegExp(value), `${grammar.path}: ${value}`);
          patterns++;
        } else visit(value);
      }
    };
    visit(json);
    assert.ok(patterns > 5, grammar.path);
  }
});

test('grammar patterns classify typical lines', async () => {
  const pip = JSON.parse(await readFile(path.join(ROOT, 'syntaxes', 'pip-requirements.tmLanguage.json'), 'utf8')) as { repository: Record<string, { match?: string; begin?: string }> };
  const version = new RegExp(pip.repository['version-clause']?.match ?? '');
  assert.deepEqual('requests>=2.31,<3'.match(new RegExp(version.source, 'g')), ['>=2.31', '<3']);
  assert.equal(new RegExp(pip.repository['option-line']?.begin ?? '').exec('-r base.txt')?.[1], '-r');
  assert.equal(new RegExp(pip.repository.requirement?.begin ?? '').exec('Django[argon2]==5.0')?.[1], 'Django');
  assert.ok(new RegExp(pip.repository.comment?.match ?? '').test('flask  # web'));
  assert.ok(!new RegExp(pip.repository.comment?.match ?? '').test('https://x/y#egg=z'), 'a URL fragment is not a comment');
  const gomod = JSON.parse(await readFile(path.join(ROOT, 'syntaxes', 'go-mod.tmLanguage.json'), 'utf8')) as { repository: Record<string, { match?: string }> };
  assert.equal(new RegExp(gomod.repository.version?.match ?? '').exec('github.com/x/y v1.2.3-rc.1+incompatible')?.[0], 'v1.2.3-rc.1+incompatible');
  assert.equal(new RegExp(gomod.repository.directive?.match ?? '').exec('require (')?.[1], 'require');
});

test('the .vsix allow-list ships the media and grammars', async () => {
  const ignore = await readFile(path.join(ROOT, '.vscodeignore'), 'utf8');
  for (const entry of ['!media/**', '!syntaxes/**', '!dist/extension.js', '!dist/cli.js']) assert.ok(ignore.split('\n').includes(entry), entry);
});
