/**
 * Scalar activation functions and their FLOP counts, shared by the elementwise ops and by the fused
 * kinds (FusedLinear, SwiGLU) so that both compute, and cost, the same math.
 */

/**
 * FLOPs charged for one transcendental function (exp, log, erf, tanh): hardware evaluates them as a
 * short polynomial on special-function units, roughly this many multiply-adds.
 */
export const TRANSCENDENTAL_FLOPS = 8;

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * The error function to about 1e-15. Below |x| = 3 the all-positive series
 * erf(x) = 2x/√π · e^(−x²) · Σ (2x²)^n / (1·3·…·(2n+1)) (no cancellation); above, erfc's continued
 * fraction e^(−x²)/√π / (x + ½/(x + 1/(x + 3⁄2/(x + …)))), evaluated backwards.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 3)) {
    if (Number.isNaN(x)) return NaN;
    if (ax > 6) return Math.sign(x); // erfc(6) ≈ 2e-17: below double precision next to 1.
    let t = ax;
    for (let k = 60; k >= 1; k--) t = ax + k / 2 / t;
    const erfc = (Math.exp(-ax * ax) * ONE_OVER_SQRT_PI) / t;
    return Math.sign(x) * (1 - erfc);
  }
  const x2 = 2 * ax * ax;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * x * Math.exp(-ax * ax) * sum;
}

/** 1 / (1 + e^−x), written so that neither branch overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function relu(x: number): number {
  return Math.max(x, 0);
}

export function silu(x: number): number {
  return x * sigmoid(x);
}

/** GELU in its exact form, x · Φ(x) = ½x(1 + erf(x/√2)). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU's tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

export function identity(x: number): number {
  return x;
}

/** The activations a fused kind can end with (FusedLinear's `activation` attribute). */
export type Activation = 'none' | 'relu' | 'gelu' | 'gelu_tanh' | 'silu' | 'sigmoid' | 'tanh';

export interface ActivationDef {
  readonly fn: (x: number) => number;
  /** FLOPs per element. */
  readonly flops: number;
}

const T = TRANSCENDENTAL_FLOPS;

export const ACTIVATIONS: Readonly<Record<Activation, ActivationDef>> = {
  none: { fn: identity, flops: 0 },
  relu: { fn: relu, flops: 1 },
  tanh: { fn: Math.tanh, flops: T },
  sigmoid: { fn: sigmoid, flops: T + 2 },
  silu: { fn: silu, flops: T + 3 },
  gelu: { fn: gelu, flops: T + 4 },
  gelu_tanh: { fn: geluTanh, flops: T + 7 },
};

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as Activation[];
