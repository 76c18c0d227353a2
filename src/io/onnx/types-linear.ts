/**
 * Type rules of the default domain's linear algebra: MatMul (numpy semantics, 1-D operands
 * promoted and dropped again), MatMulInteger and QLinearMatMul, Gemm, Einsum and Det. Spec:
 * onnx/defs/math/defs.cc and onnx/defs/quantization/defs.cc.
 */
import type { Dim, DType, Shape } from '../../ops/types.js';
import { broadcast, int, text, typed } from './type-rule.js';
import type { Rule, StandardNode } from './type-rule.js';

/** numpy matmul of two shapes: batch dims broadcast, [.., M, K] x [.., K, N] -> [.., M, N]. */
function matmulShape(n: StandardNode, a: Shape, b: Shape): Dim[] {
  const [a2, b2] = [a.length === 1 ? [1, a[0]!] : a, b.length === 1 ? [b[0]!, 1] : b];
  const batch = broadcast(n, [a2.slice(0, -2), b2.slice(0, -2)]);
  return [...batch, ...(a.length === 1 ? [] : [a2.at(-2)!]), ...(b.length === 1 ? [] : [b2.at(-1)!])];
}

function matmul(dtype: (n: StandardNode) => DType | undefined, b = 1): Rule {
  return (n) => {
    const [x, y] = [n.input(0), n.input(b)];
    const t = dtype(n);
    return x && y && t ? [typed(t, matmulShape(n, x.shape, y.shape))] : [];
  };
}

/** Gemm: [M, N] from A [M, K] and B [K, N], each transposed by its flag. */
const gemm: Rule = (n) => {
  const [a, b] = [n.input(0), n.input(1)];
  if (a?.shape.length !== 2 || b?.shape.length !== 2) return [];
  const m = int(n, 'transA', 0) ? a.shape[1]! : a.shape[0]!;
  const cols = int(n, 'transB', 0) ? b.shape[0]! : b.shape[1]!;
  return [typed(a.dtype, [m, cols])];
};

/** The labels of one einsum term; '...' becomes the broadcast dims it stands for. */
function einsumTerm(term: string, shape: Shape, dims: Map<string, Dim>, ellipses: Shape[]): string[] {
  const labels = term.replace('...', '.').split('');
  const dots = shape.length - (labels.length - (labels.includes('.') ? 1 : 0));
  let at = 0;
  for (const l of labels) {
    if (l === '.') {
      ellipses.push(shape.slice(at, at + dots));
      at += dots;
    } else {
      const d = shape[at++]!;
      if (!dims.has(l) || dims.get(l) === 1) dims.set(l, d);
    }
  }
  return labels;
}

/** Einsum: the output labels' dims (explicit after '->', else the labels used once, sorted). */
const einsum: Rule = (n) => {
  const equation = text(n, 'equation', '').replace(/\s/g, '');
  const [lhs, rhs] = equation.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  const first = n.input(0);
  if (!first || terms.length !== n.inputCount) return [];
  const dims = new Map<string, Dim>();
  const ellipses: Shape[] = [];
  const used = terms.flatMap((term, i) => {
    const t = n.input(i);
    return t ? einsumTerm(term, t.shape, dims, ellipses) : [];
  });
  const once = [...new Set(used)].filter((l) => l !== '.' && used.indexOf(l) === used.lastIndexOf(l)).sort();
  const out = rhs === undefined ? (used.includes('.') ? ['.', ...once] : once) : rhs.replace('...', '.').split('');
  const batch = broadcast(n, ellipses);
  return [
    typed(
      first.dtype,
      out.flatMap((l) => (l === '.' ? batch : [dims.get(l)!])),
    ),
  ];
};

/** Det: the batch dims of [.., M, M]. */
const det: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed(x.dtype, x.shape.slice(0, -2))] : [];
};

export const LINEAR_RULES: Readonly<Record<string, Rule>> = {
  MatMul: matmul((n) => n.input(0)?.dtype),
  MatMulInteger: matmul(() => 'int32'),
  // QLinearMatMul(a, a_scale, a_zero, b, b_scale, b_zero, y_scale, y_zero): y's zero point types it.
  QLinearMatMul: matmul((n) => n.input(7)?.dtype, 3),
  Gemm: gemm,
  Einsum: einsum,
  Det: det,
};
