/** Typed errors of the cost models. */
import { NetsatError } from '../errors.js';

/** A device file, a measured table, or a node the model cannot price. */
export class CostModelError extends NetsatError {}
