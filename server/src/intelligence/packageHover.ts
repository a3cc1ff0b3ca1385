import { cardMarkdown, type PackageCard } from '../../../shared/src/intelligence/card';
import { isLookedUp } from '../../../shared/src/intelligence/networkFindings';
import type { Dependency, ParsedManifest, Position, Range } from '../../../shared/src/model';

const inside = (range: Range | undefined, p: Position): boolean =>
  range !== undefined &&
  (p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character)) &&
  (p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character));

/** The registry dependency whose name (or spec) is under the cursor. */
export function dependencyAt(manifest: ParsedManifest, position: Position): Dependency | undefined {
  return manifest.dependencies.find((dep) => isLookedUp(dep) && (inside(dep.nameRange, position) || inside(dep.specRange, position)));
}

/** What the server knows about a dependency when the hover is asked for. */
export interface HoverState {
  card: PackageCard | undefined;
  /** A look-up is under way. */
  pending: boolean;
  /** Registry checks are on for this document. */
  enabled: boolean;
  /** Only cached answers are used. */
  offline: boolean;
}

/** The hover's Markdown: the package card when there is one, else why there is none (yet). */
export function packageHoverMarkdown(dep: Dependency, state: HoverState): string {
  const title = `**${dep.name}** (${dep.ecosystem})`;
  if (!state.enabled) return `${title}  \nRegistry checks are off here (an untrusted workspace, \`safeInstall.intelligence.enabled\` or \`[intelligence] enabled\`).`;
  if (!state.card) {
    if (state.offline) return `${title}  \n_Offline: no cached registry answer for this package._`;
    return `${title}  \n_Looking this package up on its registry…_`;
  }
  const notes: string[] = [];
  if (state.offline) notes.push('_Offline: from the cache._');
  else if (state.pending) notes.push('_Refreshing…_');
  return [cardMarkdown(state.card), ...notes].join('  \n');
}
