/**
 * Whether a network can be checked at all, decided before any work: a check that cannot run is the
 * user's situation to resolve (skip the check, or fix the shapes), not a crash deep inside a kernel
 * or onnxruntime's session.
 */
import { NetsatError } from './errors.js';
import type { Network } from './network/network.js';
import type { Tensor } from './network/tensor.js';
import { formatShape, numelEstimate } from './ops/shape.js';

/** Verification cannot run on this network: an op nothing here can run, or a tensor no array can hold. */
export class UnverifiableError extends NetsatError {}

/**
 * The most elements a typed array holds (V8's length limit, whatever the element size): the
 * interpreter cannot run a larger tensor with any amount of memory. Whether a smaller one fits is
 * the memory budget's question (src/budget.ts).
 */
export const MAX_ARRAY_ELEMENTS = 2 ** 32;

/** The op set domains onnxruntime-node has kernels for; an Opaque op of any other domain runs nowhere. */
const ORT_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft', 'com.microsoft.nchwc', 'com.microsoft.experimental', 'ai.onnx.preview.training']);

const SKIP_HINT = 'skip the check with --no-verify (library: verify: false), leaving the result unverified';

function checkSize(t: Tensor, symbolValue: number): void {
  const n = numelEstimate(t.shape, symbolValue);
  if (n <= MAX_ARRAY_ELEMENTS) return;
  throw new UnverifiableError(
    `cannot verify: ${t.name} ${t.dtype}${formatShape(t.shape)} has ${n.toExponential(2)} elements, more than the ${MAX_ARRAY_ELEMENTS} (2^32) an array can hold`,
    {
      where: t.name,
      hint: `fix smaller input shapes (--overwrite-input-shapes for ONNX), or ${SKIP_HINT}`,
    },
  );
}

/** Throws an UnverifiableError for a tensor above MAX_ARRAY_ELEMENTS with symbolic dims bound to at most `symbolValue`. */
export function checkTensorSizes(network: Network, symbolValue: number): void {
  for (const t of network.inputs) checkSize(t, symbolValue);
  for (const layer of network.layers) for (const t of layer.outputs) checkSize(t, symbolValue);
}

/**
 * Throws an UnverifiableError for an Opaque op of a domain onnxruntime does not know, or a bfloat16
 * input or output (onnxruntime runs bfloat16 inside a model, but onnxruntime-node cannot feed or fetch it).
 */
export function checkOrtRunnable(network: Network): void {
  const bfloat16 = [...network.inputs, ...network.outputs].find((t) => t.dtype === 'bfloat16');
  if (bfloat16) {
    throw new UnverifiableError(
      `cannot verify: ${bfloat16.name} is bfloat16, which onnxruntime-node can neither feed nor fetch, and the reference interpreter cannot run the network`,
      {
        where: bfloat16.name,
        hint: `cast it to float32 in the model, or ${SKIP_HINT}`,
      },
    );
  }
  for (const layer of network.layers) {
    const domain = layer.op === 'Opaque' ? (layer.attributes['domain'] as string) : '';
    if (ORT_DOMAINS.has(domain)) continue;
    throw new UnverifiableError(`cannot verify: ${domain}:${layer.attributes['opType'] as string} is a custom op that neither the reference interpreter nor onnxruntime can run`, {
      where: layer.name,
      hint: SKIP_HINT,
    });
  }
}

/**
 * onnxruntime's refusal of an op it has no kernel for (a made-up op in the default domain, say) as
 * an UnverifiableError; any other failure is rethrown as it is, since it may be netsat's own bug.
 */
export function ortRefusal(e: unknown): never {
  const message = e instanceof Error ? e.message : String(e);
  if (!/is not a registered function\/op|No Op registered for/.test(message)) throw e;
  throw new UnverifiableError(`cannot verify: onnxruntime has no kernel for an op of the network: ${message}`, { where: 'onnxruntime', hint: SKIP_HINT });
}
