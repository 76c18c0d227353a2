/**
 * Every real model of ../shared/data/onnx side by side in onnxruntime-node (CPU, graph optimization
 * 'all', 2 intra-op threads, spinning off): the original, onnxscript's optimized output (peers/)
 * and netsat's. netsat's is what a user gets: `netsat optimize model.onnx -o out.onnx` with default
 * settings (verified, target ort), run as its own process so its time and peak memory are its own.
 * Runs are interleaved in one process so all three see the same machine state; each output is also
 * checked against the original here. Writes onnx-models.{json,md} in bench/out/ (bench/results/
 * when recording: see report.ts). Run with `npx tsx bench/onnx-models.bench.ts [model...]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import type * as ort from 'onnxruntime-node';
import { createSession, seededFeeds, verifyWithOrt } from '../src/io/onnx/verify-ort.js';
import { median, writeResults } from './report.js';
import type { Row } from './report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'onnx');
const ALL_MODELS = existsSync(DATA)
  ? readdirSync(DATA)
      .filter((f) => f.endsWith('.onnx'))
      .map((f) => f.slice(0, -'.onnx'.length))
  : [];
/** `npx tsx bench/onnx-models.bench.ts squeezenet` measures one model (results are written only for all of them). */
const MODELS = process.argv.length > 2 ? ALL_MODELS.filter((m) => process.argv.includes(m)) : ALL_MODELS;
const WARMUP = 20;
const ROUNDS = Number(process.env['ONNX_BENCH_ROUNDS'] ?? 300);

/** Ops that stand for several standard ops: onnxruntime's contrib ops and the fused norms. */
function isFused(domain: string, opType: string): boolean {
  return domain === 'com.microsoft' || opType === 'SimplifiedLayerNormalization' || opType === 'LayerNormalization' || opType === 'Gelu';
}

function nodeCounts(bytes: Uint8Array): { nodes: number; fused: number; fusedOps: string } {
  const nodes = fromBinary(ModelProtoSchema, bytes).graph!.node;
  const fused = new Map<string, number>();
  for (const n of nodes) if (isFused(n.domain, n.opType)) fused.set(n.opType, (fused.get(n.opType) ?? 0) + 1);
  return { nodes: nodes.length, fused: [...fused.values()].reduce((a, b) => a + b, 0), fusedOps: [...fused].map(([k, v]) => `${k}×${v}`).join(' ') };
}

const CNN_GAP =
  "after onnxruntime's own optimizer (level 'all' fuses Conv + activation itself) the three files hold the same kernels, onnxscript's Flatten written as Reshape, so netsat's FusedConv saves nothing at run time and the differences are run-to-run noise (about 1-2% between runs)";

/** Why a model misses a target, where the cause is known; quoted in the results beside the verdict. */
const KNOWN_GAPS: Readonly<Record<string, string>> = {
  bert: "its attention and QKV projection fuse into com.microsoft Attention as onnxscript's do (measured 3-4% faster than MatMul + Split + MultiHeadAttention), but onnxscript writes SkipLayerNormalization where netsat writes Add + LayerNormalization (onnxruntime's CPU skip-norm kernel measured slower on GPT-2, about 1.5% faster on this model when swapped in by hand): 5 nodes more, less the Concat per layer onnxscript writes to join the q, k and v weights at run time, 3 more in all; the latency difference to onnxscript is within run-to-run noise (1-3%)",
  whisper_enc:
    "its q, k and v reach onnxruntime as Concat + Split + MultiHeadAttention, where onnxscript's file passes the three projections to MultiHeadAttention directly: netsat's ort writer does not yet drop that Concat",
  squeezenet: CNN_GAP,
  mobilenet: CNN_GAP,
};

/** Per model: netsat's nodes at most onnxscript's, faster than the original and than onnxscript where it loads, verified. */
function targets(rows: readonly Row[]): string {
  const lines = [...new Set(rows.map((r) => r.model as string))].map((model) => {
    const of = (variant: string) => rows.find((r) => r.model === model && r.variant === variant)!;
    const [original, peer, netsat] = [of('original'), of('onnxscript'), of('netsat')];
    if (netsat.nodes === null) return `- ${model}: missed: netsat ${netsat.note}.`;
    const ms = (r: Row) => r.medianMs as number | null;
    const missed = [
      (netsat.nodes as number) > (peer.nodes as number) ? `more nodes than onnxscript (${netsat.nodes} > ${peer.nodes})` : '',
      ms(netsat) === null || ms(netsat)! >= ms(original)! ? 'not faster than the original' : '',
      ms(peer) !== null && (ms(netsat) === null || ms(netsat)! >= ms(peer)!) ? 'not faster than onnxscript' : '',
      netsat.verified ? '' : 'not verified',
    ].filter(Boolean);
    return missed.length ? `- ${model}: missed: ${missed.join('; ')}${KNOWN_GAPS[model] ? `. Why: ${KNOWN_GAPS[model]}.` : '.'}` : `- ${model}: met.`;
  });
  return `Targets (netsat: no more nodes than onnxscript, faster than the original and than onnxscript where it loads, verified):\n\n${lines.join('\n')}`;
}

interface Variant {
  name: string;
  bytes: Uint8Array;
  session?: ort.InferenceSession;
  error?: string;
  verified?: boolean;
  times: number[];
}

const OUT = mkdtempSync(join(tmpdir(), 'netsat-onnx-models-'));

/** `netsat optimize` on `model` with default settings, in its own process: the file it wrote, its time and peak memory, or why it refused. */
function netsatOptimize(model: string): { bytes?: Uint8Array; note: string; optimizeMs: number | null; peakMiB: number | null } {
  const out = join(OUT, `${model}.netsat.onnx`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'optimize', join(DATA, `${model}.onnx`), '-o', out, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) return { note: (r.stderr || r.stdout).trim().split('\n')[0]!.slice(0, 200), optimizeMs: null, peakMiB: null };
  const summary = JSON.parse(r.stdout);
  const applied = summary.rules.filter((rule: { applied: number }) => rule.applied > 0).length;
  return {
    bytes: readFileSync(out),
    note: `${applied} rules applied; ${summary.verification.pass ? 'verified' : 'NOT verified'} by netsat (${summary.verification.method})`,
    optimizeMs: Math.round(summary.times.totalMs),
    peakMiB: Math.round(summary.budget.peakRssBytes / 2 ** 20),
  };
}

async function benchModel(model: string): Promise<Row[]> {
  const original = readFileSync(join(DATA, `${model}.onnx`));
  const peer = readFileSync(join(DATA, 'peers', `${model}.onnxscript.onnx`));
  const netsat = netsatOptimize(model);
  const variants: Variant[] = [
    { name: 'original', bytes: original, times: [] },
    { name: 'onnxscript', bytes: peer, times: [] },
    ...(netsat.bytes ? [{ name: 'netsat', bytes: netsat.bytes, times: [] }] : []),
  ];
  const feeds = seededFeeds(original);
  for (const v of variants) {
    try {
      v.session = await createSession(v.bytes, 'all');
      v.verified = v.name === 'original' || (await verifyWithOrt(original, v.bytes)).pass;
      for (let i = 0; i < WARMUP; i++) await v.session.run(feeds);
    } catch (e) {
      v.error = (e as Error).message.split('\n')[0]!.slice(0, 160);
    }
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of variants) {
      if (!v.session) continue;
      const s = performance.now();
      await v.session.run(feeds);
      v.times.push(performance.now() - s);
    }
  }
  await Promise.all(variants.map((v) => v.session?.release()));
  const base = median(variants[0]!.times);
  const refused: Row[] = netsat.bytes
    ? []
    : [
        {
          model,
          variant: 'netsat',
          nodes: null,
          fusedOps: null,
          medianMs: null,
          speedupVsOriginal: null,
          verified: false,
          optimizeMs: null,
          peakMiB: null,
          note: `refused: ${netsat.note}`,
          fused: '',
        },
      ];
  return [
    ...variants.map((v) => {
      const c = nodeCounts(v.bytes);
      const ms = v.session ? median(v.times) : null;
      return {
        model,
        variant: v.name,
        nodes: c.nodes,
        fusedOps: c.fused,
        medianMs: ms === null ? null : Number(ms.toFixed(4)),
        speedupVsOriginal: ms === null ? null : Number((base / ms).toFixed(3)),
        verified: v.error ? false : (v.verified ?? false),
        optimizeMs: v.name === 'netsat' ? netsat.optimizeMs : null,
        peakMiB: v.name === 'netsat' ? netsat.peakMiB : null,
        note: v.error ?? (v.name === 'netsat' ? netsat.note : ''),
        fused: c.fusedOps,
      };
    }),
    ...refused,
  ];
}

if (!existsSync(DATA)) {
  console.log(`skipped: ${DATA} is not present`);
} else {
  const rows: Row[] = [];
  for (const model of MODELS) {
    const got = await benchModel(model);
    for (const row of got) console.log(JSON.stringify(row));
    rows.push(...got);
  }
  if (MODELS.length === ALL_MODELS.length)
    writeResults('onnx-models', 'Real ONNX models in onnxruntime-node: original vs onnxscript vs netsat (target ort)', rows, {
      notes: `CPU, graphOptimizationLevel 'all', intra-op threads 2, spinning off; median of ${ROUNDS} interleaved runs after ${WARMUP} warm-up runs; nodes and fused ops counted in each file before onnxruntime's own optimizer runs; verified: all outputs within rtol 1e-4 / atol 1e-5 of the original on seeded inputs. netsat's file is written by \`netsat optimize model.onnx -o out.onnx\` with default settings in its own process: optimizeMs and peakMiB (the process's peak resident memory, the tsx loader included) are that run's.\n\n${targets(rows)}`,
    });
}
