/**
 * Files the package ships beside its code, found from this module's own location: src/cli/ in a
 * clone and dist/ when built sit one folder apart from the package root, hence the search upward.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding netsat's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`netsat's package.json is not above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

/** The version in package.json, for `netsat --version`. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The example e-graph workloads `netsat saturate` can run (package.json "files" ships them). */
export function exampleWorkloadsDir(): string {
  return join(packageRoot(), 'examples', 'workloads');
}
