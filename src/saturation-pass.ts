/**
 * SaturationPass: equality saturation as one PatternRewriter, so a RewritePatternManager can run
 * hand-written patterns and saturation in one pipeline. The manager offers it every live layer; it
 * optimizes the whole network (in place) only when offered the last layer in topological order, so
 * the patterns before it have seen every layer of that pass, and the patterns after it see the
 * saturated network on the next pass (a change makes the manager run another). It remembers the
 * network's version it left, so it fires once per network state, not once per layer or pass.
 */
import type { Layer } from './network/layer.js';
import type { Network } from './network/network.js';
import { optimizeSync } from './optimize.js';
import type { OptimizeOptions } from './optimize.js';
import type { OptimizeReport } from './report/optimize-report.js';
import { PatternRewriter } from './rewriting/patterns.js';

/** optimize's options minus the ones the pass fixes (in place, synchronous extraction). */
export type SaturationPassOptions = Omit<OptimizeOptions, 'inPlace' | 'extractor'> & { extractor?: 'tree' | 'dag' };

export class SaturationPass extends PatternRewriter {
  /** The report of each run that changed the network, in order. */
  readonly reports: OptimizeReport[] = [];
  readonly #options: SaturationPassOptions;
  /** network.version as this pass last left each network: nothing to do until it moves. */
  readonly #settled = new WeakMap<Network, number>();

  constructor(options: SaturationPassOptions = {}, name = 'saturation') {
    super(name);
    this.#options = options;
  }

  override matchAndRewrite(layer: Layer): boolean {
    const network = layer.network;
    if (this.#settled.get(network) === network.version) return false;
    const layers = network.layers;
    if (layers[layers.length - 1] !== layer) return false;
    const before = network.version;
    const { report } = optimizeSync(network, { ...this.#options, inPlace: true });
    this.#settled.set(network, network.version);
    const changed = network.version !== before && (report.newLayers.length > 0 || report.removed.length > 0);
    if (changed) this.reports.push(report);
    return changed;
  }
}
