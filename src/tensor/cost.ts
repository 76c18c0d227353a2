/**
 * Prices tensor e-nodes with a CostModel, for extraction. Leaves (inputs, weights, attribute
 * records) and nodes computed from constants alone (folded before run time) cost nothing; a node the analysis found ill-typed costs UNUSABLE so no extractor picks
 * it; each output node of a multi-output op carries an equal share of the op's cost, so a layer
 * whose outputs are all used is paid once.
 */
import type { CostModel } from '../cost/cost-model.js';
import type { EGraph } from '../egraph/egraph.js';
import { outputCount } from '../ops/registry.js';
import type { Attrs, TensorType } from '../ops/types.js';
import type { TensorData } from './analysis.js';
import type { TensorLanguage } from './language.js';

/** The cost of a node that must never be extracted (finite, as extractors require). */
const UNUSABLE = 1e15;

/** The cost of each node from its op, payload and child classes (extraction's NodeCostFunction). */
export function tensorNodeCost(egraph: EGraph<TensorData>, language: TensorLanguage, model: CostModel): (op: number, payload: number, children: Int32Array) => number {
  return (op, payload, children) => {
    const def = language.opDef(op);
    if (!def) return 0;
    let attrs: Attrs = {};
    let first = 0;
    if (language.hasAttrsChild(def)) {
      const a = egraph.data(children[0]!);
      if (a.kind !== 'attrs') return UNUSABLE;
      attrs = a.attrs;
      first = 1;
    }
    const inputs: (TensorType | undefined)[] = [];
    let foldable = true;
    for (let i = first; i < children.length; i++) {
      const d = egraph.data(children[i]!);
      if (d.kind === 'absent') inputs.push(undefined);
      else if (d.kind === 'tensor' && d.type && !d.invalid) {
        inputs.push(d.type);
        if (!d.foldable) foldable = false;
      } else return UNUSABLE;
    }
    let outputs: TensorType[];
    try {
      outputs = def.infer(inputs, attrs);
    } catch {
      return UNUSABLE;
    }
    if (payload >= outputs.length) return UNUSABLE;
    if (foldable) return 0;
    return model.nodeCost(def.name, attrs, inputs, outputs) / outputCount(def, attrs);
  };
}

/**
 * For an output node of a multi-output op: its application (op, attributes and inputs: the same for
 * every output) and the op's whole cost, which extraction pays once however many outputs it uses.
 */
export function tensorSharedCost(
  egraph: EGraph<TensorData>,
  language: TensorLanguage,
  model: CostModel,
): (op: number, payload: number, children: Int32Array) => { key: string; cost: number } | undefined {
  const share = tensorNodeCost(egraph, language, model);
  return (op, payload, children) => {
    const def = language.opDef(op);
    if (!def || (def.outputCount === undefined && def.outputs.length < 2)) return undefined;
    const a = language.hasAttrsChild(def) ? egraph.data(children[0]!) : undefined;
    const count = outputCount(def, a?.kind === 'attrs' ? a.attrs : {});
    const cost = share(op, payload, children);
    // An unusable node keeps its prohibitive cost; a folded one and a single-output form share nothing.
    if (count < 2 || cost === 0 || cost >= UNUSABLE) return undefined;
    return { key: `${op}(${children.join(',')})`, cost: cost * count };
  };
}
