/** The CLI as users run it: built by tsup (no type declarations) into a git-ignored scratch folder of the package. */
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Git-ignored, and inside the package so the build finds rules/. */
export const scratchDir = join(packageRoot, '.vitest');

/** Builds the package into .vitest/`name` (one folder per test file, so parallel files do not race) and returns the path of its cli.js. */
export function buildCli(name: string): string {
  const out = join(scratchDir, name);
  execFileSync('npx', ['tsup', '--silent', '--no-dts', '--out-dir', out], { cwd: packageRoot, stdio: 'pipe' });
  return join(out, 'cli.js');
}
