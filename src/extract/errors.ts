/** Typed errors of extraction: a malformed problem, a root with no acyclic term, an invalid selection. */
import { NetsatError } from '../errors.js';

/** The extraction problem itself is malformed (ids out of range, a class without nodes, a bad cost). */
export class ExtractionProblemError extends NetsatError {}

/** A root class has no acyclic term at all: every node under it depends on the class itself. */
export class UnextractableError extends NetsatError {}

/** A selection is incomplete, cyclic, or picks a node outside its class. */
export class SelectionError extends NetsatError {}
