/**
 * The vocabulary every op entry speaks: dtypes, shapes with symbolic dimensions, attributes,
 * arrays of data, cost facts, and the `OpDef` contract itself. Nothing outside src/ops knows what an
 * op computes; everything asks its `OpDef`.
 */

/**
 * Element types: every one onnxruntime supports. float16 and bfloat16 are stored and computed as
 * float32; int64 and uint64 are stored as float64 (exact to 2^53); strings are carried, never
 * computed. Where storage is not exact, a constant read from a file keeps its bytes (`exact`).
 */
export type DType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool' | 'string';

export const DTYPES: readonly DType[] = ['float32', 'float16', 'bfloat16', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool', 'string'];

/** A dimension: a non-negative integer, or a named symbolic size such as `"batch"` or `"batch*seq"`. */
export type Dim = number | string;

export type Shape = readonly Dim[];

/** What a tensor is, without its data. */
export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

/** Attribute values. Lists are plain arrays; `null` means "not given" where the spec allows it. */
export type AttrValue = number | boolean | string | readonly number[] | readonly string[] | null;

export type Attrs = Readonly<Record<string, AttrValue>>;

export type AttrKind = 'int' | 'float' | 'bool' | 'string' | 'ints' | 'floats' | 'dtype';

export interface AttrSpec {
  readonly kind: AttrKind;
  /** Used when the attribute is absent. An attribute with no default is required. */
  readonly default?: AttrValue;
  /** For `string`: the allowed values. */
  readonly oneOf?: readonly string[];
  /** Extra validation; returns an error message, or undefined when the value is fine. */
  readonly check?: (value: AttrValue) => string | undefined;
  readonly doc?: string;
}

export interface InputSpec {
  readonly name: string;
  /** The input may be absent (an optional bias, say). Optional inputs come after required ones. */
  readonly optional?: boolean;
  /** The last input may repeat (Concat's inputs). At least `minCount` of them. */
  readonly variadic?: boolean;
  readonly minCount?: number;
}

/** Typed storage for one tensor's elements. int64 and uint64 live in a Float64Array, strings in none (see NDArray). */
export type TypedData = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * The elements exactly as an ONNX file holds them: little-endian bytes of the file's element type,
 * or one byte string per element for `string` tensors (not necessarily UTF-8).
 */
export type ExactElements = Uint8Array | readonly Uint8Array[];

/** A concrete tensor value: dtype, integer shape, row-major data. */
export interface NDArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** The values computed with; zeros for `string` tensors, whose elements live in `exact` only. */
  readonly data: TypedData;
  /**
   * The elements as read, where `data` cannot hold them bit for bit (uint64 and int64 above 2^53,
   * float16/bfloat16 NaN payloads, strings); the writer emits these. Never set on computed values.
   */
  readonly exact?: ExactElements;
}

/** Cost facts of one application of an op, from shapes alone. Bytes count every input read once. */
export interface CostFacts {
  readonly flops: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

/** Context handed to kernels: resolved attributes and the output types inferred for these inputs. */
export interface KernelContext {
  readonly attrs: Attrs;
  readonly outputTypes: readonly TensorType[];
}

/**
 * One op of the registry. `infer` and `kernel` receive `undefined` for absent optional inputs, so
 * input positions always match `inputs` (a variadic tail is spread at the end).
 */
export interface OpDef {
  readonly name: string;
  readonly doc: string;
  readonly inputs: readonly InputSpec[];
  /** Output names; `outputCount` overrides the count when it depends on attributes (Split). */
  readonly outputs: readonly string[];
  readonly outputCount?: (attrs: Attrs) => number;
  readonly attributes: Readonly<Record<string, AttrSpec>>;
  /** Kinds that rewrites produce (FusedLinear, GptAttention, ...). */
  readonly fused?: boolean;
  /** Output types for these input types and (defaults-filled) attributes; throws ShapeError. */
  infer(inputs: readonly (TensorType | undefined)[], attrs: Attrs): TensorType[];
  cost(inputs: readonly (TensorType | undefined)[], outputs: readonly TensorType[], attrs: Attrs): CostFacts;
  /** The reference computation, on concrete shapes. Absent for Constant (the network holds its data). */
  kernel?(inputs: readonly (NDArray | undefined)[], ctx: KernelContext): NDArray[];
}
