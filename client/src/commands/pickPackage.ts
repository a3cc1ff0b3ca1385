/** The Install/Audit prompts: a quick pick of the ecosystem, then the package request validated as it is typed. */
import { window } from 'vscode';
import type { Ecosystem } from '../../../shared/src/model';
import { parsePackageRequest } from '../../../shared/src/sandbox/names';
import { ECOSYSTEM_CHOICES } from '../install/ecosystems';

/** What the user picked, or undefined when they dismissed a prompt. */
export async function pickPackage(verb: 'Install' | 'Audit'): Promise<{ ecosystem: Ecosystem; request: string } | undefined> {
  const choice = await window.showQuickPick(
    ECOSYSTEM_CHOICES.map((c) => ({ label: c.label, description: c.example, choice: c })),
    { title: `Safe Install: ${verb} Package — ecosystem`, placeHolder: 'Which package ecosystem?', ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  const { ecosystem, example } = choice.choice;
  const request = await window.showInputBox({
    title: `Safe Install: ${verb} Package — ${choice.label}`,
    prompt: 'Name, optionally with a version (registry packages only: no URLs, paths or options)',
    placeHolder: example,
    ignoreFocusOut: true,
    validateInput: (value) => validateRequest(ecosystem, value),
  });
  return request === undefined || request.trim() === '' ? undefined : { ecosystem, request: request.trim() };
}

/** The validation message for a request as typed, or undefined when it is acceptable. */
export function validateRequest(ecosystem: Ecosystem, value: string): string | undefined {
  if (value.trim() === '') return 'Type a package name';
  try {
    parsePackageRequest(ecosystem, value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
