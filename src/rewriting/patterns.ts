/**
 * PatternRewriter and PatternAnalyzer: the imperative passes of TensorRT-LLM's Graph Rewriting
 * module. Subclass one, implement its hooks, and hand it to a manager.
 */
import { PatternError } from '../errors.js';
import type { Layer } from '../network/layer.js';

export interface PatternOptions {
  /** Op names a match may start from; absent means every op. */
  rootLayer?: Iterable<string>;
}

abstract class Pattern {
  readonly name: string;
  /** Ops a match may start from, or undefined for all. */
  readonly rootLayer: ReadonlySet<string> | undefined;
  /** Whatever the manager's caller passed as `args` (batch size, flags...). */
  args: unknown = undefined;

  constructor(name: string, options: PatternOptions = {}) {
    this.name = name;
    this.rootLayer = options.rootLayer ? new Set(options.rootLayer) : undefined;
  }

  /** True when `layer` may be a match root under `rootLayer`. */
  acceptsRoot(layer: Layer): boolean {
    return this.rootLayer === undefined || this.rootLayer.has(layer.op);
  }

  protected missing(hook: string): never {
    throw new PatternError(`pattern "${this.name}" does not implement ${hook}()`, {
      where: this.name,
      hint: `override ${hook} in your subclass`,
    });
  }
}

export interface RewriterOptions extends PatternOptions {
  /** Call `match` then `rewrite` instead of `matchAndRewrite`. */
  separateMatchRewrite?: boolean;
}

/**
 * A rewrite pass. With `separateMatchRewrite`, the manager calls `match(layer)` and, when it is
 * true, `rewrite(layer)`; otherwise `matchAndRewrite(layer)`, which returns whether it changed
 * anything. A rewrite follows the four stages: take the old subgraph's boundary, build new layers
 * on its inputs, redirect the old outputs' users, mark the old layers removed (`replaceSubgraph`
 * does all four).
 */
export abstract class PatternRewriter extends Pattern {
  readonly separateMatchRewrite: boolean;

  constructor(name: string, options: RewriterOptions = {}) {
    super(name, options);
    this.separateMatchRewrite = options.separateMatchRewrite ?? false;
  }

  match(_layer: Layer): boolean {
    return this.missing('match');
  }

  rewrite(_layer: Layer): void {
    this.missing('rewrite');
  }

  matchAndRewrite(_layer: Layer): boolean {
    return this.missing('matchAndRewrite');
  }
}

/**
 * An analysis pass: `match(layer)` returns false, undefined or null for no match, or what it found
 * (the subgraph; 0 and "" count as found), which the manager hands to `analyze(layer, found)`.
 */
export abstract class PatternAnalyzer<Found = unknown> extends Pattern {
  match(_layer: Layer): Found | false | undefined | null {
    return this.missing('match');
  }

  analyze(_layer: Layer, _found: Found): void {
    this.missing('analyze');
  }
}
