#!/usr/bin/env node
/**
 * The netsat command line. It only parses arguments, calls the library and prints; every failure
 * on bad input is one paragraph and exit code 2, with the stack only under --debug. `main` takes
 * argv and the output streams, so tests run it in-process.
 */
import { realpathSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { Listr } from 'listr2';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { DEVICE_IDS } from './cost/device.js';
import type { DeviceId } from './cost/device.js';
import { roofline } from './cost/roofline.js';
import { DEFAULT_MAX_MEMORY_BYTES, requireVerificationFits } from './budget.js';
import { checkOutputPaths } from './cli/output-paths.js';
import type { NamedPath, OutputPlan } from './cli/output-paths.js';
import { exampleWorkloadsDir, packageVersion } from './cli/package-files.js';
import { runDemo } from './demo.js';
import { toDot } from './egraph/dot.js';
import { formatWorkloadTable, saturateWorkloadFile } from './egraph/workload.js';
import { EGraphError, EGraphStateError } from './egraph/errors.js';
import { NetsatError, VerificationError } from './errors.js';
import type { ExtractorName } from './extract/selection.js';
import { toExtractionGymJSON } from './io/extraction-gym-export.js';
import { checkNetworkFileKind, readNetworkFile, writeFileAtomic, writeNetworkFile } from './io/network-file.js';
import type { NetworkFile, NetworkReadOptions } from './io/network-file.js';
import { OPSET_RANGE } from './io/onnx/decode.js';
import { readInputSets } from './io/onnx/input-sets.js';
import type { Network } from './network/network.js';
import { optimize } from './optimize.js';
import type { OptimizeOptions, OptimizeResult } from './optimize.js';
import { explainLayer } from './report/explain-layer.js';
import { renderHtmlReport } from './report/html.js';
import { formatInspection, inspectNetwork } from './report/inspect.js';
import { formatOptimizeSummary, optimizeSummary } from './report/optimize-summary.js';
import { formatRuleList, listRules } from './report/rule-list.js';
import { formatWhyNot, whyNot } from './report/why-not.js';
import { checkRules } from './rules/check-rules.js';
import { formatCheckReport } from './rules/format-check-report.js';
import { checkRulesWithOrt } from './rules/ort-check.js';
import { loadRuleFiles, shippedRuleFiles, shippedRulePaths } from './rules/library.js';
import { checkVerifiable, unrunnableLayer } from './verification.js';
import { ZOO, zooNetwork } from './zoo/catalog.js';
import { parseByteSize } from './budget.js';
import { formatProfile, profileData } from './report/profile.js';
import { addBenchCommand } from './benchmark/command.js';

/** A command line that cannot be acted on: an unknown device, a missing -o, a bad number. */
export class UsageError extends NetsatError {}

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress is drawn only on a terminal. */
  isTTY: boolean;
}

const EXTRACTORS: readonly ExtractorName[] = ['tree', 'dag', 'ilp'];
const DUMP_KINDS = ['.json', '.dot', '.svg'];
const SVG_MAX_ENODES = 1500;
const EXAMPLE_WORKLOADS = ['ac-4.json', 'factor.json'];
const INPUT_HELP = `network file (.json or .onnx), or a built-in example: ${Object.keys(ZOO)
  .map((n) => `zoo:${n}`)
  .join(', ')}`;

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${what} "${value}"`, { where: `--${what}`, hint: `use one of: ${allowed.join(', ')}` });
}

function positive(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`, { where: flag, hint: `e.g. ${flag} ${integer ? 20 : 5}` });
  }
  return n;
}

interface InputShapeFlags {
  overwriteInputShapes?: string;
}

/** The flag for OnnxReadOptions.overwriteInputShapes, on every command that reads a network. */
function overwriteInputShapesOption(): Option {
  return new Option('--overwrite-input-shapes <spec>', 'for ONNX input: fix input dims, e.g. "input_ids:1,32" or "a:1,3,224,224 b:1,10"');
}

function readOptions(f: InputShapeFlags): NetworkReadOptions {
  return f.overwriteInputShapes === undefined ? {} : { overwriteInputShapes: f.overwriteInputShapes };
}

interface OptimizeFlags extends InputShapeFlags {
  output?: string;
  rules?: string[];
  device: string;
  extractor: string;
  iterLimit?: string;
  nodeLimit?: string;
  timeLimit?: string;
  maxMemory?: string;
  profile?: string | boolean;
  verify?: boolean;
  verifyInputs?: string[];
  onUnsound: 'heal' | 'throw';
  disableRule?: string[];
  report?: string;
  keepOutput?: string[];
  dumpEgraph?: string;
  json?: boolean;
  inPlace?: boolean;
  target: 'ort' | 'onnx';
  opset?: string;
}

/** --opset: a default-domain opset netsat writes, checked before any work. */
function opsetFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < OPSET_RANGE[0] || n > OPSET_RANGE[1]) {
    throw new UsageError(`--opset must be an integer from ${OPSET_RANGE[0]} to ${OPSET_RANGE[1]}, got "${value}"`, {
      where: '--opset',
      hint: "leave it out to keep the model's own opset",
    });
  }
  return n;
}

/** Everything `optimize` needs, checked before any work, so bad input writes nothing. */
function planOptimize(input: string, f: OptimizeFlags) {
  const device = oneOf<DeviceId>(f.device, DEVICE_IDS, 'device');
  const extractor = oneOf(f.extractor, EXTRACTORS, 'extractor');
  const output = f.output ?? (f.inPlace ? input : undefined);
  if (output === undefined) throw new UsageError('no output file given', { where: 'optimize', hint: 'pass -o out.json, or --in-place to overwrite the input' });
  checkNetworkFileKind(output);
  checkOutputPaths(outputPlan(input, output, f));
  if (f.dumpEgraph !== undefined && !DUMP_KINDS.includes(extname(f.dumpEgraph).toLowerCase())) {
    throw new UsageError(`--dump-egraph writes ${DUMP_KINDS.join(', ')} files, not "${f.dumpEgraph}"`, {
      where: '--dump-egraph',
      hint: 'name the file g.json (extraction-gym), g.dot or g.svg',
    });
  }
  const iterations = positive(f.iterLimit, '--iter-limit', true);
  const nodes = positive(f.nodeLimit, '--node-limit', true);
  const seconds = positive(f.timeLimit, '--time-limit', false);
  const opset = opsetFlag(f.opset);
  if (f.verifyInputs && f.verify === false) {
    throw new UsageError('--verify-inputs gives inputs to the check that --no-verify turns off', { where: '--verify-inputs', hint: 'leave out one of the two' });
  }
  const options: OptimizeOptions = {
    device,
    extractor,
    limits: { iterations: iterations ?? 20, nodes: nodes ?? 100_000, timeMs: (seconds ?? 10) * 1000 },
    verify: f.verify === false ? false : { seed: 1 },
    onUnsound: f.onUnsound,
    reproducerPath: reproducerPath(output),
    target: f.target,
    ...(f.disableRule ? { disableRules: f.disableRule } : {}),
    ...(f.keepOutput ? { keepOutputs: f.keepOutput } : {}),
    ...(seconds !== undefined && extractor === 'ilp' ? { extractTimeLimitMs: seconds * 1000 } : {}),
    ...(f.maxMemory !== undefined ? { maxMemoryBytes: parseByteSize(f.maxMemory, '--max-memory') } : {}),
  };
  return { device, output, options, opset };
}

/** Every file `optimize` reads and may write, for the clash check before the run. */
function outputPlan(input: string, output: string, f: OptimizeFlags): OutputPlan {
  const inputs = [
    ...(input.startsWith(ZOO_PREFIX) ? [] : [{ flag: '<in>', path: input }]),
    ...(f.rules ?? []).map((path) => ({ flag: '--rules', path })),
    ...(f.verifyInputs ?? []).map((path) => ({ flag: '--verify-inputs', path })),
  ];
  const optional = [
    { flag: '--report', path: f.report },
    { flag: '--dump-egraph', path: f.dumpEgraph },
    { flag: '--profile', path: typeof f.profile === 'string' ? f.profile : undefined },
  ].filter((p): p is NamedPath => p.path !== undefined);
  const outputs = [{ flag: '-o', path: output }, ...optional, { flag: '-o (its healing reproducer)', path: reproducerPath(output) }];
  return { inputs, outputs, overwrites: [{ output: '-o', input: '<in>', flag: '--in-place', given: f.inPlace === true }] };
}

/**
 * Whether the check of the result can run at all and fits the memory budget: both follow from the
 * input alone, so they are asked before saturation rather than after it (optimize asks again).
 */
function checkVerificationPossible(network: Network, options: OptimizeOptions): void {
  const verify = typeof options.verify === 'object' ? options.verify : {};
  checkVerifiable(network, verify);
  requireVerificationFits(network, unrunnableLayer(network) !== undefined, options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES, verify.inputs);
}

/** Where healing writes the smallest failing network: beside the output, `out.unsound.json`. */
function reproducerPath(output: string): string {
  return `${output.slice(0, output.length - extname(output).length)}.unsound.json`;
}

/** What healing did, for stderr: the rules left out and where the failing case was written. */
function healingNote(report: OptimizeResult['report']): string {
  const h = report.healing!;
  const where = h.reproducer.path ? `; the smallest failing part of the input (${h.reproducer.layers} layers) is in ${h.reproducer.path}, ready to become a test` : '';
  return `netsat: the first result did not verify (${
    h.failed.pass === false
      ? h.failed.outputs
          .filter((o) => !o.pass)
          .map((o) => o.name)
          .join(', ')
      : '?'
  } differed); healed by leaving out rule(s) ${h.culprits.join(', ')} after ${h.runs} runs${where}\n`;
}

const ZOO_PREFIX = 'zoo:';

/** A network file, or a built-in zoo network named `zoo:<name>`. */
function readInput(input: string, read: NetworkReadOptions = {}): NetworkFile {
  if (!input.startsWith(ZOO_PREFIX)) return readNetworkFile(input, read);
  if (read.overwriteInputShapes !== undefined)
    throw new UsageError('zoo networks have fixed input shapes', { where: '--overwrite-input-shapes', hint: 'export the network to ONNX first, or leave the flag out' });
  return { network: zooNetwork(input.slice(ZOO_PREFIX.length)) };
}

async function runOptimize(input: string, f: OptimizeFlags, io: CliIO): Promise<number> {
  const plan = planOptimize(input, f);
  const state: { file?: NetworkFile; result?: OptimizeResult; dump?: string } = {};
  const tasks = new Listr(
    [
      { title: `Reading ${input}`, task: () => void (state.file = readInput(input, readOptions(f))) },
      // A check that cannot run fails now, not after the whole saturation.
      {
        title: 'Checking the input can be verified',
        enabled: () => plan.options.verify !== false,
        task: () => {
          if (f.verifyInputs) plan.options.verify = { seed: 1, inputs: readInputSets(f.verifyInputs, state.file!.network) };
          checkVerificationPossible(state.file!.network, plan.options);
        },
      },
      { title: 'Loading rules', task: () => void (plan.options.rules = f.rules ? loadRuleFiles(f.rules) : shippedRuleFiles()) },
      {
        title: `Saturating, extracting, lowering${f.verify === false ? '' : ', verifying'}`,
        // A result that failed verification was healed or thrown (VerificationError): none is written.
        task: async (_ctx, task) => {
          state.result = await optimize(state.file!.network, {
            ...plan.options,
            onSaturated: (ng, cost) => {
              task.output = `saturated: ${ng.egraph.nodeCount} e-nodes in ${ng.egraph.classCount} e-classes`;
              if (f.dumpEgraph) state.dump = extname(f.dumpEgraph).toLowerCase() === '.json' ? toExtractionGymJSON(ng, cost) : toDot(ng.egraph, state.file!.network.name);
            },
          });
        },
      },
    ],
    { renderer: io.isTTY && !f.json ? 'default' : 'silent', exitOnError: true },
  );
  try {
    await tasks.run();
  } catch (e) {
    if (!(e instanceof VerificationError)) throw e;
    io.stderr(`netsat: ${e.message}\n${plan.output} was not written.\n`);
    return 1;
  }
  const { network, report } = state.result!;
  const original = state.file!.network;
  const summary = optimizeSummary(report, { input, output: plan.output, network: original.name, device: plan.device });
  if (report.healing) io.stderr(healingNote(report));
  const failed = report.verification.pass === false;
  if (!failed) {
    writeNetworkFile(
      plan.output,
      { network, origin: state.file!.origin, provenance: { source: input, newLayers: report.newLayers, removed: report.removed, proofs: report.proofs } },
      { target: f.target, ...(plan.opset !== undefined ? { opset: plan.opset } : {}) },
    );
    if (f.report) writeFileAtomic(f.report, await renderHtmlReport({ title: `netsat: ${original.name}`, before: original, after: network, report, model: roofline(plan.device) }));
  }
  if (f.dumpEgraph && state.dump !== undefined) {
    const svg = extname(f.dumpEgraph).toLowerCase() === '.svg';
    // Graphviz lays out a few thousand clustered e-nodes in minutes: larger e-graphs go to DOT only.
    if (svg && report.egraph.enodes > SVG_MAX_ENODES) {
      io.stderr(
        `netsat: the e-graph has ${report.egraph.enodes} e-nodes, too many to lay out as SVG (limit ${SVG_MAX_ENODES}); ${f.dumpEgraph} was not written. Dump it as .dot or .json instead, or lower --iter-limit.\n`,
      );
    } else writeFileAtomic(f.dumpEgraph, svg ? (await Graphviz.load()).dot(state.dump) : state.dump);
  }
  if (f.json) io.stdout(`${JSON.stringify({ ...summary, output: failed ? null : plan.output }, null, 2)}\n`);
  else {
    io.stdout(`${formatOptimizeSummary(summary, original, network)}\n`);
    io.stdout(failed ? `The optimized network does not match the input: ${plan.output} was not written.\n` : `Wrote ${plan.output}${f.report ? ` and ${f.report}` : ''}.\n`);
  }
  if (f.profile !== undefined) writeProfile(report, f.profile, f.json === true, io);
  return failed ? 1 : 0;
}

/** `--profile`: the table after the summary (on stderr beside --json), and its data as JSON when given a file. */
function writeProfile(report: OptimizeResult['report'], to: string | boolean, json: boolean, io: CliIO): void {
  (json ? io.stderr : io.stdout)(`${formatProfile(report)}\n`);
  if (typeof to === 'string') writeFileAtomic(to, `${JSON.stringify(profileData(report), null, 2)}\n`);
}

function buildProgram(io: CliIO, exit: { code: number }): Command {
  const program = new Command();
  program
    .name('netsat')
    .description('Equality-saturation optimizer for neural-network graphs')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--debug', 'show stack traces of errors')
    // Commander's own usage errors (a missing argument, an unknown command) say how to find the usage.
    .showHelpAfterError('(add --help for the arguments and options)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('demo')
    .description('build a two-block Llama-style network, run the built-in rewrite passes, verify numerically, print layers by op')
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }) => {
      const result = runDemo();
      io.stdout(`${opts.json ? JSON.stringify(result.summary, null, 2) : result.text}\n`);
      exit.code = result.summary.verified ? 0 : 1;
    });

  program
    .command('optimize')
    .description('saturate a network with rewrite rules, extract the cheapest equivalent, write it with its provenance')
    .argument('<in>', INPUT_HELP)
    .option('-o, --output <out>', 'output network file (.json or .onnx)')
    .option('--rules <files...>', 'rule files (default: the shipped libraries)')
    .addOption(new Option('--device <device>', 'device of the roofline cost model').default('h100-sxm'))
    .addOption(new Option('--extractor <name>', 'tree, dag or ilp').default('dag'))
    .option('--iter-limit <n>', 'saturation iterations (default 20)')
    .option('--node-limit <n>', 'e-nodes (default 100000)')
    .option('--time-limit <s>', 'seconds for saturation (and ILP) (default 10)')
    .option('--profile [file.json]', 'print time and memory per stage and the costliest rules (and write them as JSON to the file)')
    .option(
      '--max-memory <size>',
      'memory budget of the run, e.g. 512MiB or 2GiB: saturation stops there with what it found; a check that would not fit is an error, never skipped (default 1GiB)',
    )
    .option('--verify', 'check the result against the input (the default)')
    .option('--no-verify', 'skip checking the result against the input (by default 3 seeded input sets, by the reference interpreter or onnxruntime)')
    .option(
      '--verify-inputs <paths...>',
      'check on these input sets instead of seeded ones: each a folder of input_0.pb, input_1.pb, ... (ONNX TensorProtos, as in test_data_set_N) or one .pb file; inputs a set leaves out are drawn',
    )
    .addOption(
      new Option('--on-unsound <action>', 'when the check fails: heal (leave out the rules that broke it, write the failing case beside the output) or throw (exit 1)')
        .choices(['heal', 'throw'])
        .default('heal'),
    )
    .option('--disable-rule <names...>', 'rules to leave out of saturation')
    .option('--report <file.html>', 'write an HTML report')
    .option('--keep-output <tensor...>', 'tensors that must survive as they are')
    .option('--dump-egraph <file>', 'write the saturated e-graph: .json (extraction-gym), .dot or .svg')
    .option('--json', 'print the summary as JSON')
    .option('--in-place', 'allow writing over the input (the default output then)')
    .addOption(overwriteInputShapesOption())
    .addOption(new Option('--target <target>', 'for .onnx output: ort (onnxruntime contrib ops) or onnx (standard ops only)').choices(['ort', 'onnx']).default('ort'))
    .option('--opset <n>', "for .onnx output: the default-domain opset to write, 7 to 21 (default: the input model's)")
    .action(async (input: string, flags: OptimizeFlags) => {
      exit.code = await runOptimize(input, flags, io);
    });

  program
    .command('explain')
    .description('where a layer of an optimized network came from: original layers, rules, proof')
    .argument('<out>', 'a network written by netsat optimize')
    .argument('<layer>', 'layer name')
    .action((path: string, layer: string) => io.stdout(`${explainLayer(readNetworkFile(path), layer, path)}\n`));

  program
    .command('why-not')
    .description('why a rule did not fire: the best partial match and the first failing pattern node or condition')
    .argument('<in>', INPUT_HELP)
    .argument('<rule>', 'rule name')
    .option('--at <layer>', 'only matches rooted at this layer')
    .option('--rules <files...>', 'rule files (default: the shipped libraries)')
    .option('--json', 'print the result as JSON')
    .addOption(overwriteInputShapesOption())
    .action((path: string, rule: string, opts: { at?: string; rules?: string[]; json?: boolean } & InputShapeFlags) => {
      const result = whyNot(
        readInput(path, readOptions(opts)).network,
        opts.rules ? loadRuleFiles(opts.rules) : shippedRuleFiles(),
        rule,
        opts.at === undefined ? {} : { at: opts.at },
      );
      io.stdout(`${opts.json ? JSON.stringify(result, null, 2) : formatWhyNot(result)}\n`);
    });

  program
    .command('rules')
    .description('list the rules by file, each with its first doc line: the names why-not and --disable-rule take')
    .argument('[files...]', 'rule files (default: the shipped libraries)')
    .option('--json', 'print as JSON')
    .action((files: string[], opts: { json?: boolean }) => {
      const listing = listRules(files.length ? loadRuleFiles(files) : shippedRuleFiles());
      io.stdout(`${opts.json ? JSON.stringify(listing, null, 2) : formatRuleList(listing)}\n`);
    });

  program
    .command('inspect')
    .description('layers by op, inputs and outputs with their shapes')
    .argument('<file>', INPUT_HELP)
    .option('--json', 'print as JSON')
    .addOption(overwriteInputShapesOption())
    .action((path: string, opts: { json?: boolean } & InputShapeFlags) => {
      const i = inspectNetwork(readInput(path, readOptions(opts)).network);
      io.stdout(`${opts.json ? JSON.stringify(i, null, 2) : formatInspection(i)}\n`);
    });

  program
    .command('check-rules')
    .description('check rules numerically on seeded instances, with the reference interpreter and onnxruntime (default: the shipped libraries)')
    .argument('[files...]', 'rule files')
    .option('--verbose', 'list passing rules too, each with its coverage line')
    .option('--instances <n>', 'instances per rule and direction (default 200)')
    .option('--ort <n>', 'of these, how many onnxruntime also runs (default: all)')
    .option('--no-ort', 'check with the reference interpreter only')
    .action(async (files: string[], opts: { verbose?: boolean; instances?: string; ort: string | boolean }) => {
      const paths = files.length ? files : shippedRulePaths();
      const instances = positive(opts.instances, '--instances', true);
      const options = instances === undefined ? {} : { instances };
      const ortInstances = typeof opts.ort === 'string' ? positive(opts.ort, '--ort', true) : undefined;
      const report = opts.ort === false ? checkRules(paths, options) : await checkRulesWithOrt(paths, { ...options, ...(ortInstances ? { ortInstances } : {}) });
      io.stdout(`${formatCheckReport(report, { verbose: opts.verbose ?? false })}\n`);
      // A rule not shown sound (a counterexample, no instance above 1, too few instances) is not passed.
      exit.code = report.failed + report.uncovered + report.unsampled > 0 ? 1 : 0;
    });

  program
    .command('saturate')
    .description('run an e-graph workload file (egraph-workload/1 JSON: rules, start terms, limits) and print per-iteration counts')
    .argument('<workload>', 'workload JSON')
    .addHelpText('after', () => `\nExample workloads shipped with netsat:\n${EXAMPLE_WORKLOADS.map((f) => `  netsat saturate ${join(exampleWorkloadsDir(), f)}`).join('\n')}\n`)
    .option('--json', 'print the result as JSON')
    .action((path: string, opts: { json?: boolean }) => {
      const result = saturateWorkloadFile(path);
      io.stdout(`${opts.json ? JSON.stringify(result, null, 2) : formatWorkloadTable(result)}\n`);
    });

  addBenchCommand(program, io);
  return program;
}

/**
 * An error the user can act on: the project's typed errors, and the e-graph engine's own (a bad
 * workload or pattern), except misuse of its state, which only a bug in netsat can cause.
 */
function isUserError(e: unknown): e is Error {
  return e instanceof NetsatError || (e instanceof EGraphError && !(e instanceof EGraphStateError));
}

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const exit = { code: 0 };
  const program = buildProgram(io, exit);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // help and version exit 0; usage errors were printed
    if (debug) io.stderr(`${(e as Error).stack ?? String(e)}\n`);
    else if (isUserError(e)) io.stderr(`netsat: ${e.message}\n`);
    else io.stderr(`netsat: internal error: ${(e as Error).message ?? String(e)}\n  rerun with --debug for the stack trace, and report it\n`);
    return 2;
  }
}

function processIO(): CliIO {
  return { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: process.stdout.isTTY === true };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
