/**
 * The managers that run patterns over a network. Patterns run in ascending `benefit` order (as
 * TensorRT-LLM runs them), ties in the order they were added. Removed layers are never roots, and
 * once a layer is rewritten no later pattern sees it in that visit.
 */
import { PatternError } from '../errors.js';
import type { Layer } from '../network/layer.js';
import type { Network } from '../network/network.js';
import type { PatternAnalyzer, PatternRewriter } from './patterns.js';

interface Entry<P> {
  label: string;
  pattern: P;
  benefit: number;
}

class PatternManager<P> {
  readonly #entries = new Map<string, Entry<P>>();

  /** Adds `pattern` under a new `label`; lower `benefit` runs first. */
  add(label: string, pattern: P, benefit = 0): this {
    if (this.#entries.has(label)) {
      throw new PatternError(`a pattern labelled "${label}" is already registered`, { where: label, hint: 'labels are unique within a manager' });
    }
    this.#entries.set(label, { label, pattern, benefit });
    return this;
  }

  /** The pattern registered under `label`; a PatternError when there is none. */
  get(label: string): P {
    const e = this.#entries.get(label);
    if (!e) throw new PatternError(`no pattern labelled "${label}"`, { hint: `labels: ${[...this.#entries.keys()].join(', ') || '(none)'}` });
    return e.pattern;
  }

  get labels(): string[] {
    return [...this.#entries.keys()];
  }

  /** Entries by ascending benefit; Array.prototype.sort is stable, so ties keep add order. */
  protected ordered(): Entry<P>[] {
    return [...this.#entries.values()].sort((a, b) => a.benefit - b.benefit);
  }
}

/** One rewrite that fired: which pattern, on which layer, in which pass (1-based). */
export interface RewriteApplication {
  label: string;
  layer: string;
  pass: number;
}

export interface RewriteReport {
  /** Passes run, the last one changing nothing. */
  passes: number;
  applications: RewriteApplication[];
}

export interface RewriteOptions {
  /** Handed to every pattern as `pattern.args`. */
  args?: unknown;
  /** Passes allowed before giving up with a PatternError (a pattern that always fires). Default 100. */
  maxPasses?: number;
}

/**
 * Runs rewriters to a fixpoint: passes over the live layers until one changes nothing. The whole
 * call is one transaction: if a pattern throws or the pass limit is hit, the network is restored.
 */
export class RewritePatternManager extends PatternManager<PatternRewriter> {
  rewrite(network: Network, options: RewriteOptions = {}): RewriteReport {
    const maxPasses = options.maxPasses ?? 100;
    // NaN would never stop a looping pattern; 0 would report a fixpoint missed in no passes.
    if (!Number.isInteger(maxPasses) || maxPasses < 1) {
      throw new PatternError(`maxPasses must be a positive integer, got ${maxPasses}`, { hint: 'leave it out for the default of 100 passes' });
    }
    const entries = this.ordered();
    const applications: RewriteApplication[] = [];
    return network.transaction(() => {
      for (let pass = 1; ; pass++) {
        if (pass > maxPasses) {
          const last = applications.filter((a) => a.pass === maxPasses).slice(0, 5);
          throw new PatternError(`rewriting did not reach a fixpoint in ${maxPasses} passes`, {
            where: last.map((a) => `${a.label} on ${a.layer}`).join(', '),
            hint: 'a pattern keeps firing (it may re-match its own output); make its match fail once rewritten, or raise maxPasses',
          });
        }
        let changed = false;
        for (const layer of [...network.layers]) {
          for (const { label, pattern } of entries) {
            if (layer.isRemoved()) break;
            if (!pattern.acceptsRoot(layer)) continue;
            pattern.args = options.args;
            if (fire(pattern, layer)) {
              changed = true;
              applications.push({ label, layer: layer.name, pass });
            }
          }
        }
        if (!changed) return { passes: pass, applications };
      }
    });
  }
}

function fire(pattern: PatternRewriter, layer: Layer): boolean {
  if (!pattern.separateMatchRewrite) return pattern.matchAndRewrite(layer);
  if (!pattern.match(layer)) return false;
  pattern.rewrite(layer);
  return true;
}

/** One analysis that matched. */
export interface AnalysisFinding {
  label: string;
  layer: string;
}

/** Runs analyzers once over the live layers, in topological order. */
export class AnalysisPatternManager extends PatternManager<PatternAnalyzer<unknown>> {
  analyze(network: Network, options: { args?: unknown } = {}): AnalysisFinding[] {
    const findings: AnalysisFinding[] = [];
    const entries = this.ordered();
    for (const layer of network.layers) {
      for (const { label, pattern } of entries) {
        if (!pattern.acceptsRoot(layer)) continue;
        pattern.args = options.args;
        const found = pattern.match(layer);
        if (found === false || found === undefined || found === null) continue;
        pattern.analyze(layer, found);
        findings.push({ label, layer: layer.name });
      }
    }
    return findings;
  }
}
