/** Errors of `netsat bench`: an unknown model or strategy, a strategy file that does not read. */
import { NetsatError } from '../errors.js';

/** A model, strategy or device of a benchmark that cannot be resolved, or a bad bench option. */
export class BenchInputError extends NetsatError {}

/** A strategy file that is not valid JSON or not a valid strategy; `where` is file:line:col. */
export class StrategyFileError extends NetsatError {}
