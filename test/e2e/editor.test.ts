/**
 * Safe Install in a real VS Code: the packaged .vsix installed into code-server, driven through Debian's
 * headless Chromium with playwright-core, asserting what a person sees — a squiggle and its Problems
 * entry, the quick fix applied to the file, Check Environment filling the Environment Exposure view
 * (without a secret on screen), an install against a local registry showing its phases in the terminal
 * and the Installs view, and an untrusted workspace refusing to install. Screenshots of every step go to
 * test-results/e2e/; the README's three are copied to docs/screenshots/.
 * Skips with the reason when code-server or Chromium is missing; the install step also needs Docker,
 * the node test image and Verdaccio.
 */
import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { create as createTar } from 'tar';
import { createFakeHome, leakedWindows, type FakeHome } from '../support/fakeHome';
import { CHROMIUM_ARGS, chromiumPath, codeServerPath, dockerAvailable, requireInfra, testImage, testImageRef, verdaccioPath, type Probe } from '../support/infra';
import { startVerdaccio, type LocalNpmRegistry } from '../support/localRegistries';
import { startCodeServer, type CodeServer } from './support/codeServer';
import { packageVsix, REPO_ROOT } from './support/packageVsix';
import { answerInputBox, answerTrustPrompt, openFile, pickQuickItem, runCommand, showOnlyView, terminalText, toasts, treeRows, viewPane } from './support/workbench';

const RESULTS = path.join(REPO_ROOT, 'test-results', 'e2e');
const README_SHOTS: Record<string, string> = {
  '02-quick-fix.png': 'squiggle-quick-fix.png',
  '05-install-terminal.png': 'install-terminal.png',
  '07-installs-view.png': 'install-finished.png',
  '04-environment-exposure.png': 'environment-exposure.png',
};
const STEP_MS = 90_000;

/** Everything the steps share. */
interface Session {
  fake: FakeHome;
  /** Throwaway folders (code-server's data, the .vsix staging) removed at the end. */
  scratch: string[];
  server: CodeServer;
  browser: Browser;
  trustedDir: string;
  untrustedDir: string;
  registry?: LocalNpmRegistry;
  installSkip?: string;
}

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS, name) });
}

let failedSteps = 0;

/** Runs a step; on failure saves what the page showed, then fails with the original error. */
async function step(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    failedSteps++;
    await shot(page, `failed-${name}.png`).catch(() => undefined);
    // Leave no menu or prompt open for the next step.
    await page.keyboard.press('Escape').catch(() => undefined);
    throw error;
  }
}

/** Resolves with the file's text once `ok(text)` holds: checked now and on every change event of its folder. */
function fileReaches(file: string, ok: (text: string) => boolean, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const watcher = watch(path.dirname(file));
    const finish = (error: Error | undefined, text?: string): void => {
      clearTimeout(timer);
      watcher.close();
      if (error) reject(error);
      else resolve(text ?? '');
    };
    const check = (): void => {
      readFile(file, 'utf8').then((text) => { if (ok(text)) finish(undefined, text); }, () => undefined);
    };
    const timer = setTimeout(() => finish(new Error(`${file} did not reach the expected content within ${timeoutMs} ms`)), timeoutMs);
    watcher.on('change', check);
    check();
  });
}

/** A one-file npm package (`package/` entries, as `npm pack` lays them out). */
async function npmTarball(dir: string, name: string, version: string): Promise<Buffer> {
  const root = path.join(dir, `${name}-${version}`);
  await mkdir(path.join(root, 'package'), { recursive: true });
  const manifest = { name, version, main: 'index.js', license: 'MIT' };
  await writeFile(path.join(root, 'package', 'package.json'), JSON.stringify(manifest, null, 2));
  await writeFile(path.join(root, 'package', 'index.js'), "module.exports = () => 'hello from the sandbox';\n");
  const file = path.join(dir, `${name}-${version}.tgz`);
  await createTar({ gzip: true, cwd: root, file, portable: true }, ['package']);
  return readFile(file);
}

/** Why the install step cannot run here, or undefined when everything it needs is present. */
async function installPrerequisites(): Promise<{ verdaccio?: string; skip?: string }> {
  const probes: Probe[] = [await dockerAvailable(), await testImage('node'), await verdaccioPath()];
  const missing = probes.find((p) => !p.ok);
  if (missing && !missing.ok) return { skip: missing.reason };
  const verdaccio = probes[2];
  return verdaccio?.ok ? { verdaccio: verdaccio.path } : { skip: 'Verdaccio missing' };
}

async function setUp(entry: string, chromiumExe: string): Promise<Session> {
  const vsix = await packageVsix();
  const fake = await createFakeHome();
  const trustedDir = fake.workspace;
  const untrustedDir = path.join(fake.home, 'work', 'untrusted');
  await mkdir(untrustedDir, { recursive: true });
  const requirements = 'reqeusts==2.31.0\nflask==3.0.0\n';
  // Registry intelligence off: the only registry these tests may reach is the local one.
  const offline = '[intelligence]\nenabled = false\noffline = true\n';
  await writeFile(path.join(trustedDir, 'requirements.txt'), requirements);
  await writeFile(path.join(trustedDir, 'safe-install.toml'), offline);
  await writeFile(path.join(untrustedDir, 'requirements.txt'), requirements);
  await writeFile(path.join(untrustedDir, 'go.mod'), 'module example.com/demo\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0 // indirect\n');
  const userConfig = path.join(fake.home, '.config', 'safe-install', 'config.toml');
  await mkdir(path.dirname(userConfig), { recursive: true });
  // The default fetch network, chosen explicitly so it cannot fall back: the 127.0.0.1 registry is reached
  // only through safe-install's egress proxy; builds stay offline.
  await writeFile(userConfig, `${offline}\n[sandbox]\nnetwork_mode = "registry-only"\n\n[sandbox.images]\nnpm = "${testImageRef('node')}"\n`);

  const codeServerDir = await mkdtemp(path.join(os.tmpdir(), 'si-e2e-'));
  const session: Partial<Session> = { fake, trustedDir, untrustedDir, scratch: [codeServerDir, ...(process.env.SAFE_INSTALL_E2E_VSIX ? [] : [path.dirname(vsix)])] };
  const prereq = await installPrerequisites();
  if (prereq.verdaccio) {
    session.registry = await startVerdaccio(prereq.verdaccio, path.join(fake.root, 'verdaccio'));
    await session.registry.publish({ manifest: { name: 'e2e-hello', version: '1.0.0', main: 'index.js', license: 'MIT' }, tarball: await npmTarball(fake.root, 'e2e-hello', '1.0.0') });
    await writeFile(path.join(trustedDir, '.npmrc'), `registry=${session.registry.url}\n`);
  } else {
    session.installSkip = prereq.skip;
  }

  session.server = await startCodeServer({
    entry,
    vsix,
    dir: codeServerDir,
    home: fake.home,
    // The extension host (and the CLI it starts) sees the fake home's canary variables, as a real one would.
    env: { ...fake.env, SAFE_INSTALL_CACHE_DIR: path.join(fake.root, 'cache') },
    settings: {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'always',
      // The DOM renderer puts terminal text in the page, where the test can read it.
      'terminal.integrated.gpuAcceleration': 'off',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
    },
  });
  session.browser = await chromium.launch({ executablePath: chromiumExe, args: [...CHROMIUM_ARGS] });
  return session as Session;
}

async function openWorkspace(session: Session, folder: string, trust: boolean): Promise<Page> {
  const page = await session.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(session.server.url(folder), { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await answerTrustPrompt(page, trust);
  await page.locator('.explorer-folders-view').getByText('requirements.txt').first().waitFor({ timeout: 60_000 });
  return page;
}

test('Safe Install in a real VS Code (code-server + Chromium)', { timeout: 10 * 60_000 }, async (t) => {
  const entry = requireInfra(t, await codeServerPath());
  if (entry === undefined) return;
  const chromiumExe = requireInfra(t, await chromiumPath());
  if (chromiumExe === undefined) return;
  const started = Date.now();
  const session = await setUp(entry, chromiumExe);
  t.after(async () => {
    await session.browser.close().catch(() => undefined);
    await session.server.stop();
    await session.registry?.close();
    await session.fake.cleanup();
    for (const dir of session.scratch) await rm(dir, { recursive: true, force: true });
    console.log(`# e2e suite took ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${path.relative(REPO_ROOT, RESULTS)}`);
  });

  const page = await openWorkspace(session, session.trustedDir, true);
  page.setDefaultTimeout(STEP_MS);

  await t.test('a typosquatted line gets a squiggle and a Problems entry', () => step(page, 'squiggle', async () => {
    await openFile(page, 'requirements.txt');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row').filter({ hasText: "'reqeusts' looks like a typosquat of 'requests'" });
    await problem.first().waitFor();
    assert.match(await problem.first().innerText(), /safe-install/);
    // The Findings view lists it per manifest and per package, linked to the line.
    await page.locator('.activitybar .action-item a[aria-label^="Safe Install"]').click();
    await showOnlyView(page, 'Findings');
    const findings = treeRows(page, 'Findings');
    await findings.filter({ hasText: 'requirements.txt' }).first().waitFor();
    await findings.filter({ hasText: /^reqeusts/ }).first().waitFor();
    await findings.filter({ hasText: 'line 1 · typosquat' }).first().waitFor();
    await shot(page, '01-squiggle-and-problem.png');
  }));

  await t.test('the quick fix replaces the name in the file', () => step(page, 'quick-fix', async () => {
    // The panel is closed so the screenshot shows the editor, the squiggle and the light bulb menu.
    await page.keyboard.press('Control+J');
    await page.locator('.markers-panel').waitFor({ state: 'hidden' });
    await page.locator('.monaco-editor .view-line').first().click({ position: { x: 20, y: 5 } });
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row.focused').filter({ hasText: "Replace with 'requests'" });
    await fix.waitFor();
    await shot(page, '02-quick-fix.png');
    // The preferred fix is focused first: Enter applies it, as a keyboard user would.
    await page.keyboard.press('Enter');
    // The edit lands in the editor, then is saved: the file on disk gets the intended name.
    await page.locator('.monaco-editor .view-line').first().filter({ hasText: 'requests==2.31.0' }).waitFor();
    const file = path.join(session.trustedDir, 'requirements.txt');
    const saved = fileReaches(file, (text) => text.startsWith('requests==2.31.0'), STEP_MS);
    await page.keyboard.press('Control+S');
    assert.equal(await saved, 'requests==2.31.0\nflask==3.0.0\n');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached' });
    await shot(page, '03-quick-fix-applied.png');
  }));

  await t.test('Check Environment fills the Environment Exposure view, without secret values', () => step(page, 'exposure', async () => {
    await runCommand(page, 'Safe Install: Check Environment');
    const rows = treeRows(page, 'Environment Exposure');
    await rows.filter({ hasText: 'SSH and signing keys' }).first().waitFor();
    await rows.filter({ hasText: 'Cloud credentials' }).first().waitFor();
    await rows.filter({ hasText: 'Unencrypted OpenSSH private key' }).first().waitFor();
    // The tree is virtualised: rows below the fold are not in the page, so the assertions stay near the top.
    // A severity icon on every row of the groups.
    assert.ok(await viewPane(page, 'Environment Exposure').locator('.monaco-list-row .codicon-error, .monaco-list-row .codicon-warning').count() > 0);
    const text = await viewPane(page, 'Environment Exposure').innerText();
    assert.deepEqual(leakedWindows(text, session.fake.canaries, 6), [], 'no part of a secret may appear in the view');
    await showOnlyView(page, 'Environment Exposure');
    await shot(page, '04-environment-exposure.png');
  }));

  await t.test('an install against the local registry shows its phases in the terminal and the Installs view', async (st) => {
    if (session.installSkip !== undefined) {
      if (process.env.SAFE_INSTALL_REQUIRE_INFRA === '1') throw new Error(`required test infrastructure missing: ${session.installSkip}`);
      console.log(`# skipped: ${session.installSkip}`);
      st.skip(session.installSkip);
      return;
    }
    await step(page, 'install', async () => {
      await runCommand(page, 'Safe Install: Install Package…');
      await pickQuickItem(page, 'npm');
      await answerInputBox(page, 'e2e-hello@1.0.0');
      const terminal = terminalText(page);
      await terminal.filter({ hasText: 'fetching' }).waitFor({ timeout: 120_000 });
      await shot(page, '05-install-terminal.png');
      await terminal.filter({ hasText: /Installed:|Dry run finished:|Failed:|Blocked:/ }).waitFor({ timeout: 300_000 });
      const finalText = await terminal.innerText();
      await shot(page, '06-install-finished.png');
      await showOnlyView(page, 'Installs');
    const rows = treeRows(page, 'Installs');
      // npm runs no build phase for a package without install scripts: fetch, copy out, verify, install.
      for (const phase of ['queued', 'fetching', 'copying', 'verifying', 'installing']) await rows.filter({ hasText: phase }).first().waitFor();
      await rows.filter({ hasText: 'npm e2e-hello@1.0.0' }).filter({ hasText: 'installed' }).first().waitFor();
      await rows.filter({ hasText: 'Artifacts' }).first().waitFor();
      await shot(page, '07-installs-view.png');
      assert.match(finalText, /Installed:/, `the install should succeed; terminal said:\n${finalText}`);
      const installed = JSON.parse(await readFile(path.join(session.trustedDir, 'node_modules', 'e2e-hello', 'package.json'), 'utf8')) as { version: string };
      assert.equal(installed.version, '1.0.0');
      // The run's report opens as a read-only document with the artifact's hash.
      await runCommand(page, 'Safe Install: Show Last Report');
      await page.locator('.tabs-container .tab.active').filter({ hasText: /^install-run-.*\.md/ }).waitFor();
      await page.locator('.monaco-editor .view-line').filter({ hasText: /`[0-9a-f]{64}`/ }).first().waitFor();
    });
  });

  await t.test('an untrusted workspace checks offline but refuses to install', async () => {
    const restricted = await openWorkspace(session, session.untrustedDir, false);
    restricted.setDefaultTimeout(STEP_MS);
    await step(restricted, 'untrusted', async () => {
      await openFile(restricted, 'requirements.txt');
      await restricted.locator('.monaco-editor .squiggly-error').first().waitFor();
      await restricted.locator('.statusbar-item').filter({ hasText: 'Safe Install: restricted' }).waitFor();
      await runCommand(restricted, 'Safe Install: Install Package…');
      await toasts(restricted).filter({ hasText: 'does not install packages in an untrusted workspace' }).first().waitFor();
      assert.equal(await restricted.locator('.terminal-wrapper').count(), 0, 'no install terminal may open');
      await shot(restricted, '08-untrusted-refuses-install.png');
    });
    await step(restricted, 'grammars', async () => {
      // The contributed grammars colour what VS Code has no grammar for: names, versions and keywords differ.
      await openFile(restricted, 'go.mod');
      await restricted.locator('.statusbar-item').filter({ hasText: 'Go Module File' }).waitFor();
      const line = restricted.locator('.monaco-editor .view-line').filter({ hasText: 'require github.com' });
      const classOf = async (text: string): Promise<string> => (await line.locator('span > span').filter({ hasText: new RegExp(`^${text.replace(/\./g, '\\.')}`) }).first().getAttribute('class')) ?? '';
      const [keyword, module, version] = [await classOf('require'), await classOf('github'), await classOf('v1')];
      assert.ok(new Set([keyword, module, version]).size === 3, `three token colours, got ${keyword} / ${module} / ${version}`);
      await shot(restricted, '09-go-mod-grammar.png');
    });
    await restricted.close();
  });

  // The README's screenshots come from a run where every step passed (and the install ran).
  if (failedSteps > 0 || session.installSkip !== undefined) return;
  await mkdir(path.join(REPO_ROOT, 'docs', 'screenshots'), { recursive: true });
  for (const [from, to] of Object.entries(README_SHOTS)) {
    await copyFile(path.join(RESULTS, from), path.join(REPO_ROOT, 'docs', 'screenshots', to));
  }
});
