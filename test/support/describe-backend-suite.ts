/**
 * The gate for suites that read ONNX's backend test data: they run where the data are and skip with a
 * one-line note elsewhere, as describeShared does for ../shared.
 */
import { describe } from 'vitest';
import { BACKEND_DATA_DIR, BACKEND_DATA_ENV } from './onnx-backend-data.js';

/** `describe` when the suite's data are present; otherwise a skipped suite and a one-line note. */
export function describeBackendSuite(name: string, fn: () => void): void {
  if (BACKEND_DATA_DIR) describe(name, fn);
  else {
    console.log(`skipped "${name}": ONNX's backend test data are missing (apt-get install libonnx-testdata, or set ${BACKEND_DATA_ENV})`);
    describe.skip(name, fn);
  }
}
