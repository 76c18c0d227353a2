/** Typed errors of ONNX reading and writing: what is wrong, at which node or tensor, and what to do. */
import { NetsatError } from '../../errors.js';

/** An ONNX file netsat cannot read: corrupt bytes, a broken graph, an unsupported opset or dtype. */
export class OnnxImportError extends NetsatError {}

/** A network netsat cannot write as ONNX: constants without data, ops with no ONNX form. */
export class OnnxExportError extends NetsatError {}
