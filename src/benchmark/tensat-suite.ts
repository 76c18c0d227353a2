/**
 * The TENSAT suite beside the paper: the zoo's TENSAT models under the strategy `all`, next to the
 * speedups and search times TENSAT and TASO reported. Their figures are the headline table of Yang
 * et al., "Equality Saturation for Tensor Graph Superoptimization", MLSys 2021, as the co-author's
 * page (mwillsey.com/papers/tensat) gives it; ../shared/reference/tensat.md names that table as the
 * one source of TENSAT's numbers reachable from here.
 */
import type { BenchResult, CellResult } from './result.js';

interface Reported {
  label: string;
  /** Search time in seconds. */
  tasoS: number;
  tensatS: number;
  /** Runtime speedup, (t_original / t_optimized - 1) x 100 %. */
  tasoPercent: number;
  tensatPercent: number;
}

const REPORTED: Readonly<Record<string, Reported>> = {
  'bert-base': { label: 'BERT', tasoS: 13.6, tensatS: 1.4, tasoPercent: 8.5, tensatPercent: 9.2 },
  'resnext-50': { label: 'ResNeXt-50', tasoS: 25.3, tensatS: 0.7, tasoPercent: 5.5, tensatPercent: 8.8 },
  'nasnet-a': { label: 'NasNet-A', tasoS: 1226, tensatS: 10.6, tasoPercent: 1.9, tensatPercent: 7.3 },
  nasrnn: { label: 'NasRNN', tasoS: 177.3, tensatS: 0.5, tasoPercent: 45.4, tensatPercent: 68.9 },
  'inception-v3': { label: 'Inception-v3', tasoS: 68.6, tensatS: 5.1, tasoPercent: 6.3, tensatPercent: 10.0 },
  squeezenet: { label: 'SqueezeNet', tasoS: 16.4, tensatS: 0.3, tasoPercent: 6.7, tensatPercent: 24.5 },
  'vgg-19': { label: 'VGG-19', tasoS: 8.9, tensatS: 0.4, tasoPercent: 8.9, tensatPercent: 8.9 },
};

const percent = (speedup: number) => `${((speedup - 1) * 100).toFixed(1)}%`;
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function row(paper: Reported, c: CellResult): string {
  const s = c.stagesMs;
  const m = c.measured?.speedup;
  const fused = Object.entries(c.fusedOps)
    .map(([op, n]) => `${op}×${n}`)
    .join(' ');
  const cells = c.failure
    ? [`failed (${c.failure.kind})`, '', '', '', '', '', '']
    : [
        percent(c.predicted!.speedup),
        m ? `${percent(m.median)} (${percent(m.low)} to ${percent(m.high)})` : 'n/a',
        `${seconds(c.optimizeMs!)} (${seconds(s['saturate'] ?? 0)} + ${seconds((s['extraction problem'] ?? 0) + (s['extract'] ?? 0))})`,
        `${c.layers!.before} → ${c.layers!.after}`,
        fused || '-',
        `${c.iterations}, ${c.stopReason}`,
        c.verification.result,
      ];
  return `| ${paper.label} | ${paper.tensatPercent}% | ${paper.tasoPercent}% | ${cells.slice(0, 2).join(' | ')} | ${paper.tensatS} | ${paper.tasoS} | ${cells.slice(2).join(' | ')} |`;
}

const DIFFERENCES = `## What differs, and what the figures can and cannot say

- **The cost models differ, so the speedups are not the same quantity.** TENSAT's speedup is measured:
  the whole original and optimized graphs run on a GPU with TASO's cuDNN/cuBLAS runtime, and the
  optimized graph's weight-only subgraphs are precomputed (\`preprocess_weights\`) while the
  original's are not. netsat's *predicted* speedup is its roofline model's (the larger of FLOPs over
  peak and bytes over bandwidth, plus a 3 µs launch per kernel, from an H100's datasheet) over the
  network as built; it precomputes nothing. netsat's *measured* speedup is onnxruntime-node's on a
  CPU, on the zoo's small copy with seeded weights (channels ÷8, BERT ÷16), after onnxruntime's own
  graph optimizer (level 'all'), which fuses conv + activation by itself: it says whether the
  rewritten file runs faster on a CPU, not on a GPU.
- **The rules differ.** TENSAT runs TASO's 124 single- and 15 multi-pattern substitutions (operator
  batching: two matmuls or convs sharing an input become one, plus a split). netsat's libraries are
  fusions into kernels (FusedConv, FusedLinear, attention, norms) and algebra; its merge-qkv and
  merge-two-matmuls rules batch matmuls, but it has no conv batching (TENSAT's M12, M13, P1 and P2)
  and no kernel enlarging.
- **BERT (TASO's skeleton) gains nothing under \`all\`, whose extraction is greedy.** merge-qkv and
  merge-two-matmuls fire on it (1,536 and 256 unions), but a merged product pays only when every
  projection it serves uses it, and a greedy extractor prices each projection's class on its own, so
  it keeps the separate products. TENSAT extracts with ILP; so does netsat with \`--extractor ilp\`:
  \`netsat optimize zoo:bert-base --extractor ilp --no-verify\` merges three of each layer's four
  input projections into one matmul (48 → 32 MatMul, the weights concatenated at build time) for a
  predicted 6.8 % (316.0 → 295.8 µs, proved optimal, 4 s; measured 2026-12-03).
- **CNNs gain from conv + bias + ReLU fusion** (FusedConv), which TASO's and TENSAT's conv already
  carries (its activation operand): part of netsat's predicted gain on ResNeXt-50, NasNet-A,
  Inception-v3, SqueezeNet and VGG-19 is a fusion TENSAT's baseline has from the start.
`;

function optimizerTimeNote(jobs: number): string {
  const beside = jobs > 1 ? `, while ${jobs - 1} other cell(s) ran beside it (--jobs ${jobs})` : '';
  return `- **Optimizer time**: netsat's is the whole optimization of the full-size network without the check
  (saturation, extraction, lowering) in one thread of the machine above${beside}; TENSAT's and TASO's
  are their reported search times on their authors' machine.
`;
}

/** The comparison page, or undefined when the run has none of the TENSAT models under `all`. */
export function tensatSuitePage(result: BenchResult): string | undefined {
  const rows = Object.entries(REPORTED).flatMap(([name, paper]) => {
    const cell = result.cells.find((c) => c.model === name && c.strategy === 'all');
    return cell ? [row(paper, cell)] : [];
  });
  if (rows.length === 0) return undefined;
  const e = result.environment;
  const all = result.strategies.find((s) => s.name === 'all')!;
  return `# The TENSAT suite under \`all\`, beside TENSAT's reported figures

netsat: the zoo's TENSAT models (built as TENSAT built them, full size, shape-only weights) under the
strategy \`all\` version ${all.version} (${all.rules.join(', ')}; ${all.limits.iterations} iterations,
${all.limits.nodes} e-nodes, ${all.limits.timeMs / 1000} s; ${all.extractor} extraction; roofline on ${all.device}),
from the run of ${e.date} (${e.cores} × ${e.cpu}, Node ${e.node}, netsat ${e.netsat}, seed ${result.settings.seed}).
TENSAT and TASO: the headline table of Yang et al., *Equality Saturation for Tensor Graph
Superoptimization*, MLSys 2021, as mwillsey.com/papers/tensat gives it. Speedups are written as
TENSAT writes them, (t_original / t_optimized − 1) × 100 %.

| model | TENSAT speedup | TASO speedup | netsat predicted | netsat measured (middle half) | TENSAT search s | TASO search s | netsat optimize s (saturate + extract) | layers | fused ops | iterations, stop | verified |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${DIFFERENCES}${optimizerTimeNote(result.settings.jobs)}`;
}
