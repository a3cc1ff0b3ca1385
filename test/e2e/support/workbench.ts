/**
 * What a person does in the VS Code workbench, as playwright-core steps: answer the trust prompt, open
 * a file with Quick Open, run a palette command, find a view's rows, read the terminal. Every step waits
 * for the element it needs (playwright's auto-waiting), never for a fixed time.
 */
import type { Locator, Page } from 'playwright-core';

/** Answers the "Do you trust the authors" dialog shown when a folder opens. */
export async function answerTrustPrompt(page: Page, trust: boolean): Promise<void> {
  const name = trust ? 'Yes, I trust the authors' : "No, I don't trust the authors";
  await page.getByRole('button', { name }).click({ timeout: 60_000 });
}

/** Opens a workspace file by name through Quick Open and waits for its editor. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input.input').fill(name);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active').filter({ hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Runs a command from the palette by its full title ("Safe Install: Check Environment"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Picks an item in an open quick pick by its label. */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: label }).first();
  await row.waitFor();
  await row.click();
}

/** Types into an open input box and accepts it. */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** The pane (a view in a side bar container) whose header title is `title`. */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: title }) });
}

/** Safe Install's views, in side bar order. */
export const SAFE_INSTALL_VIEWS = ['Installs', 'Environment Exposure', 'Findings'] as const;

/**
 * Expands one Safe Install view and folds the others, so its whole tree is on screen (tree rows are
 * virtualised: rows outside a pane's visible area are not in the page at all).
 */
export async function showOnlyView(page: Page, title: (typeof SAFE_INSTALL_VIEWS)[number]): Promise<void> {
  for (const view of SAFE_INSTALL_VIEWS) {
    const header = viewPane(page, view).locator('.pane-header');
    const want = view === title ? 'true' : 'false';
    if ((await header.getAttribute('aria-expanded')) !== want) await header.click();
    await viewPane(page, view).locator(`.pane-header[aria-expanded="${want}"]`).waitFor();
  }
}

/** The rows of a tree view pane. */
export function treeRows(page: Page, title: string): Locator {
  return viewPane(page, title).locator('.monaco-list-row');
}

/** The visible text of the active terminal (DOM renderer: gpuAcceleration must be off). */
export function terminalText(page: Page): Locator {
  return page.locator('.terminal-wrapper.active .xterm-rows, .terminal-wrapper .xterm-rows').first();
}

/** Notification toasts currently shown. */
export function toasts(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-toast');
}
