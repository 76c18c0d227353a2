/**
 * Loads the HiGHS wasm module once per process. The `highs` package's ESM build default-exports a
 * loader function that instantiates the module; its typings describe the CommonJS shape, hence the
 * namespace import. Later calls reuse the same instance.
 */
import * as highsPackage from 'highs';
import type { Highs, InitOptions } from 'highs';

type Loader = (options?: InitOptions) => Promise<Highs>;
const load = (highsPackage as unknown as { default: Loader }).default;

let instance: Promise<Highs> | undefined;

export function highsSolver(): Promise<Highs> {
  instance ??= load();
  return instance;
}
