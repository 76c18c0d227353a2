/**
 * A strategy: a named, versioned configuration of the optimizer (rule files, saturation limits,
 * extractor, cost model) that the benchmark runs on every model. Five are built in; a user writes
 * more as JSON files (strategy-file.ts reads them).
 */
import { basename } from 'node:path';
import type { DeviceId } from '../cost/device.js';
import type { ExtractorName } from '../extract/selection.js';
import { shippedRulePaths } from '../rules/library.js';
import { BenchInputError } from './errors.js';

export interface StrategyLimits {
  iterations: number;
  nodes: number;
  /** Wall time of saturation; a run stopped by it is not reproducible, so built-ins stop on iterations or nodes first. */
  timeMs: number;
}

export interface Strategy {
  name: string;
  /** Bumped whenever the configuration changes, so recorded figures name the one that made them. */
  version: number;
  description: string;
  /** Shipped libraries by name ('algebra' for rules/algebra.rules) or rule file paths. */
  rules: readonly string[];
  limits: StrategyLimits;
  extractor: ExtractorName;
  /** The roofline cost model's device, unless the benchmark is given devices. */
  device: DeviceId;
  /** 'built-in', or the strategy file it was read from. */
  source: string;
}

/** The limits every built-in uses: the full zoo matrix stays under 10 minutes on 2 cores. */
const BUILT_IN_LIMITS: StrategyLimits = { iterations: 12, nodes: 40_000, timeMs: 20_000 };

function builtIn(name: string, description: string, rules: readonly string[]): Strategy {
  return { name, version: 1, description, rules, limits: BUILT_IN_LIMITS, extractor: 'dag', device: 'h100-sxm', source: 'built-in' };
}

export const BUILT_IN_STRATEGIES: readonly Strategy[] = [
  builtIn('none', 'no rules: the network as lowered and extracted, the baseline', []),
  builtIn('algebra', 'algebraic identities only (TASO/TENSAT style): reassociation, factoring, concat algebra', ['algebra']),
  builtIn('llm', 'transformer fusions: exporter cleanup, algebra and the LLM fusions (norms, attention, SwiGLU, merged projections)', [
    'algebra',
    'exporter-cleanup',
    'fusion-llm',
  ]),
  builtIn('cnn', 'convolution fusions: algebra and the CNN fusions (batch-norm folding, conv + bias + activation)', ['algebra', 'fusion-cnn']),
  builtIn('all', 'every shipped rule library', ['algebra', 'exporter-cleanup', 'fusion-cnn', 'fusion-llm']),
];

/** The built-in strategy `name`; a BenchInputError listing the known ones otherwise. */
export function builtInStrategy(name: string): Strategy {
  const found = BUILT_IN_STRATEGIES.find((s) => s.name === name);
  if (!found)
    throw new BenchInputError(`unknown strategy "${name}"`, {
      where: '--strategies',
      hint: `built-in strategies: ${BUILT_IN_STRATEGIES.map((s) => s.name).join(', ')}; or a strategy file (.json, see docs/bench.md)`,
    });
  return found;
}

/** Paths of a strategy's rule files: shipped library names resolved in rules/, paths as they are. */
export function strategyRulePaths(strategy: Strategy): string[] {
  const shipped = shippedRulePaths();
  return strategy.rules.map((rule) => {
    if (rule.includes('/') || rule.includes('\\') || rule.endsWith('.rules')) return rule;
    const path = shipped.find((p) => basename(p) === `${rule}.rules`);
    if (!path)
      throw new BenchInputError(`strategy "${strategy.name}" names rule library "${rule}", which is not shipped`, {
        where: strategy.source,
        hint: `shipped libraries: ${shipped.map((p) => basename(p, '.rules')).join(', ')}; or give a path to a .rules file`,
      });
    return path;
  });
}
