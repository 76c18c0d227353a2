/**
 * The ../shared folder beside the repository (CI has it; a user's clone does not). Suites that read
 * it use `describeShared`, which skips them with a one-line note when it is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of ../shared, or undefined when it is not there. */
export const SHARED_DIR: string | undefined = (() => {
  const dir = join(repoRoot, '..', 'shared');
  return existsSync(dir) ? dir : undefined;
})();

export function sharedPath(...parts: string[]): string {
  if (!SHARED_DIR) throw new Error('../shared is not present');
  return join(SHARED_DIR, ...parts);
}

/** `describe` when ../shared is present; otherwise a skipped suite and a one-line note. */
export function describeShared(name: string, fn: () => void): void {
  if (SHARED_DIR) describe(name, fn);
  else {
    console.log(`skipped "${name}": ../shared is not beside this clone`);
    describe.skip(name, fn);
  }
}
