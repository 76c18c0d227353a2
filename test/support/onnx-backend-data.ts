/**
 * Where ONNX's backend test data live: Debian's libonnx-testdata (ONNX 1.12), which .ci/run installs.
 * A user's machine may not have it (suites gate on it with describe-backend-suite.ts). Free of
 * vitest, so the benchmark can import it too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

/** Set to a `data` folder (holding node/, simple/, ...) to use another copy of the suite. */
export const BACKEND_DATA_ENV = 'NETSAT_ONNX_BACKEND_DATA';

/** The data folder as the package lists it: dpkg knows where it put it, so no path is guessed. */
function fromDpkg(): string | undefined {
  const listing = spawnSync('dpkg', ['-L', 'libonnx-testdata'], { encoding: 'utf8' });
  if (listing.status !== 0) return undefined;
  const model = listing.stdout.split('\n').find((line) => line.endsWith('/node/test_abs/model.onnx'));
  return model ? dirname(dirname(dirname(model))) : undefined;
}

/** The suite's `data` folder, or undefined when neither the override nor the package provides it. */
export const BACKEND_DATA_DIR: string | undefined = (() => {
  const dir = process.env[BACKEND_DATA_ENV] || fromDpkg();
  return dir && existsSync(dir) ? dir : undefined;
})();
