// Editor settings → config layers → the effective config of a document: user settings trusted like the
// user config file, workspace settings tighten-only like safe-install.toml (pure server modules).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readConfigText } from '../../shared/src/config/configFile';
import { configFromTexts } from '../../shared/src/config/loadEffectiveConfig';
import { intelligenceSettings } from '../../shared/src/intelligence/settings';
import { applyEditorSettings } from '../../server/src/settings/applyEditorSettings';
import { readResourceSettings } from '../../server/src/settings/resourceSettings';

const scoped = (user: Record<string, unknown>, workspace: Record<string, unknown> = {}): unknown => ({ scopes: { user, workspace } });

/** The effective intelligence thresholds for config file texts and a settings answer. */
function effective(settings: unknown, userToml = '', projectToml = ''): { thresholds: ReturnType<typeof intelligenceSettings>; ignored: string[]; typosquat: { enabled: boolean; allow: string[] } } {
  const files = configFromTexts(userToml, projectToml).config;
  const projectLayer = projectToml ? readConfigText(projectToml).layer : undefined;
  const result = applyEditorSettings(files, readResourceSettings(settings), projectLayer);
  return { thresholds: intelligenceSettings(result.config.intelligence), ignored: result.ignored, typosquat: result.config.typosquat };
}

describe('readResourceSettings', () => {
  it('reads the extension\'s per-scope answer into two layers with the toml reader\'s rules', () => {
    const settings = readResourceSettings(scoped(
      { 'intelligence.minReleaseAgeHours': 24, 'intelligence.lowDownloads': { npm: 10, bogus: 3 }, 'typosquat.enabled': false, 'intelligence.dormantDays': -5 },
      { 'intelligence.newPackageDays': 60, offline: true },
    ));
    assert.deepEqual(settings.user['typosquat.enabled']?.value, false);
    assert.deepEqual(settings.user.intelligence?.value, { minReleaseAgeHours: 24, lowDownloads: { npm: 10 } }, 'a negative threshold is not a value');
    assert.deepEqual(settings.workspace.intelligence?.value, { newPackageDays: 60, offline: true });
  });

  it('a plain merged section (other clients) is the user scope; switches at their defaults and empty lists are not set', () => {
    const settings = readResourceSettings({ typosquat: { enabled: true, allow: [] }, intelligence: { enabled: true, internalPrefixes: [], minReleaseAgeHours: 5 }, offline: false });
    assert.deepEqual(settings.workspace, {});
    assert.equal(settings.user['typosquat.enabled'], undefined);
    assert.deepEqual(settings.user.intelligence?.value, { minReleaseAgeHours: 5 });
    assert.deepEqual(readResourceSettings({ 'typosquat.enabled': false })['user']['typosquat.enabled']?.value, false, 'flat keys work too');
    assert.deepEqual(readResourceSettings('garbage'), { user: {}, workspace: {} });
  });
});

describe('applyEditorSettings', () => {
  it('a user setting replaces the user config file\'s threshold, in both directions', () => {
    const userToml = '[intelligence]\nmin_release_age_hours = 100\n';
    assert.equal(effective(scoped({}), userToml).thresholds.minReleaseAgeHours, 100);
    assert.equal(effective(scoped({ 'intelligence.minReleaseAgeHours': 1 }), userToml).thresholds.minReleaseAgeHours, 1);
    assert.equal(effective(scoped({ 'intelligence.minReleaseAgeHours': 500 }), userToml).thresholds.minReleaseAgeHours, 500);
  });

  it('the project file\'s tightening still holds over a user setting', () => {
    const projectToml = '[intelligence]\nmin_release_age_hours = 168\n';
    assert.equal(effective(scoped({ 'intelligence.minReleaseAgeHours': 10 }), '', projectToml).thresholds.minReleaseAgeHours, 168);
    assert.equal(effective(scoped({ 'intelligence.minReleaseAgeHours': 200 }), '', projectToml).thresholds.minReleaseAgeHours, 200);
  });

  it('workspace thresholds count where stricter (higher ages and download counts, fewer dormant days)', () => {
    const r = effective(scoped({}, { 'intelligence.minReleaseAgeHours': 240, 'intelligence.dormantDays': 100, 'intelligence.lowDownloads': { npm: 5000 } }));
    assert.deepEqual(r.ignored, []);
    assert.equal(r.thresholds.minReleaseAgeHours, 240);
    assert.equal(r.thresholds.dormantDays, 100);
    assert.equal(r.thresholds.lowDownloads.npm, 5000);
  });

  it('weakening workspace values are ignored, each with a message naming the setting', () => {
    const r = effective(scoped({ 'intelligence.minReleaseAgeHours': 48 }, {
      'intelligence.minReleaseAgeHours': 1,
      'intelligence.dormantDays': 2000,
      'intelligence.lowDownloads': { npm: 1 },
      'intelligence.enabled': false,
      'intelligence.disabledRules': ['low-downloads'],
      'typosquat.enabled': false,
    }));
    assert.equal(r.thresholds.minReleaseAgeHours, 48, 'the user value stands');
    assert.equal(r.thresholds.dormantDays, 365);
    assert.equal(r.thresholds.lowDownloads.npm, 500);
    assert.equal(r.thresholds.enabled, true);
    assert.equal(r.thresholds.disabledRules.size, 0);
    assert.equal(r.typosquat.enabled, true);
    const names = r.ignored.map((m) => /^Workspace setting '([^']+)' is ignored: /.exec(m)?.[1]).sort();
    assert.deepEqual(names, [
      'safeInstall.intelligence.disabledRules',
      'safeInstall.intelligence.dormantDays',
      'safeInstall.intelligence.enabled',
      'safeInstall.intelligence.lowDownloads',
      'safeInstall.intelligence.minReleaseAgeHours',
      'safeInstall.typosquat.enabled',
    ]);
    const minAge = r.ignored.find((m) => m.includes('minReleaseAgeHours')) ?? '';
    assert.match(minAge, /below 48/);
    assert.match(minAge, /set it in your user settings if you mean it\.$/);
    assert.doesNotMatch(r.ignored.join('\n'), /project file/, 'worded for settings');
  });

  it('allow lists add up: config files, user settings and workspace settings', () => {
    const r = effective(scoped({ 'typosquat.allow': ['userpkg'] }, { 'typosquat.allow': ['npm:projpkg'] }), '[typosquat]\nallow = ["filepkg"]\n');
    assert.deepEqual([...r.typosquat.allow].sort(), ['filepkg', 'npm:projpkg', 'userpkg']);
    assert.deepEqual(r.ignored, []);
  });

  it('the user may switch checks off; the project file can switch them back on', () => {
    assert.equal(effective(scoped({ 'typosquat.enabled': false })).typosquat.enabled, false);
    assert.equal(effective(scoped({ 'typosquat.enabled': false }), '', '[typosquat]\nenabled = true\n').typosquat.enabled, true);
    assert.equal(effective(scoped({ 'intelligence.enabled': false })).thresholds.enabled, false);
  });
});
