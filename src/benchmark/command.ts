/**
 * The `netsat bench` command: parses its flags, runs bench() and writes the outputs. Progress goes
 * to stderr one cell per line; the table to stdout (or the JSON, with --json). The exit code is 0
 * when the matrix ran, failed cells included: they are figures, reported in their rows.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { parseByteSize } from '../budget.js';
import type { DeviceId } from '../cost/device.js';
import { bench } from './bench.js';
import { BenchInputError } from './errors.js';
import { benchMarkdown } from './markdown.js';
import type { CellResult } from './result.js';
import { BUILT_IN_STRATEGIES } from './strategy.js';
import { writeBenchOutputs } from './write-outputs.js';

export interface BenchCommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

interface BenchFlags {
  models: string;
  strategies: string;
  devices?: string;
  out: string;
  name: string;
  jobs: string;
  seed: string;
  warmup: string;
  repeats: string;
  measure: boolean;
  maxMemory?: string;
  json?: boolean;
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function integer(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new BenchInputError(`${flag} must be an integer, got "${text}"`, { where: flag, hint: `e.g. ${flag} 2` });
  return n;
}

function progressLine(c: CellResult): string {
  const head = `${c.model} / ${c.strategy} @ ${c.device}`;
  if (c.failure) return `${head}: failed (${c.failure.kind}): ${c.failure.message}`;
  const timed = c.measured ? `, measured ${c.measured.speedup.median.toFixed(2)}x` : '';
  return `${head}: predicted ${c.predicted!.speedup.toFixed(2)}x${timed}, check ${c.verification.result}, ${((c.optimizeMs ?? 0) / 1000).toFixed(1)} s`;
}

async function runBench(flags: BenchFlags, io: BenchCommandIO): Promise<void> {
  const result = await bench(list(flags.models), list(flags.strategies), {
    ...(flags.devices ? { devices: list(flags.devices) as DeviceId[] } : {}),
    jobs: integer(flags.jobs, '--jobs'),
    seed: integer(flags.seed, '--seed'),
    warmup: integer(flags.warmup, '--warmup'),
    repeats: integer(flags.repeats, '--repeats'),
    measure: flags.measure,
    ...(flags.maxMemory ? { maxMemoryBytes: parseByteSize(flags.maxMemory, '--max-memory') } : {}),
    onCell: (c) => io.stderr(`${progressLine(c)}\n`),
  });
  const files = writeBenchOutputs(result, flags.out, flags.name);
  io.stdout(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${benchMarkdown(result)}\n`);
  const failed = result.cells.filter((c) => c.failure).length;
  io.stderr(`${result.cells.length} cells${failed ? `, ${failed} failed (see their rows)` : ''}; wrote ${files.join(', ')}\n`);
}

/** Adds `bench` to `program`, with its exit and output settings (commander copies them to commands made by .command()). */
export function addBenchCommand(program: Command, io: BenchCommandIO): void {
  program
    .command('bench')
    .description('benchmark fusion strategies: optimize every model under every strategy, write a table, CSV, JSON and speedup charts')
    .requiredOption('--models <list>', 'comma-separated: zoo, a zoo group (tensat, llm, example), zoo network names, .onnx files or folders of them')
    .option('--strategies <list>', `comma-separated: built-in (${BUILT_IN_STRATEGIES.map((s) => s.name).join(', ')}) or strategy files (.json)`, 'none,algebra,llm,cnn,all')
    .option('--devices <list>', "roofline devices to cost on (default: each strategy's own)")
    .option('--out <dir>', 'folder for the outputs', 'netsat-bench')
    .option('--name <name>', 'file name of the outputs, without extension', 'fusion-matrix')
    .option('--jobs <n>', 'worker threads optimizing cells at once; timing always runs alone', '1')
    .option('--seed <n>', 'seed of the check and of the timed inputs', '1')
    .option('--warmup <n>', 'untimed runs before timing', '5')
    .option('--repeats <n>', 'timed rounds of original and optimized, interleaved', '30')
    .option('--no-measure', 'do not time the models in onnxruntime')
    .addOption(new Option('--max-memory <size>', 'memory budget of the process, which every optimization checks (default 1GiB per job)'))
    .option('--json', 'print the result as JSON instead of the table')
    .action(async (flags: BenchFlags) => runBench(flags, io));
}
