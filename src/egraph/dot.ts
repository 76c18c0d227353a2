import type { EGraph } from './egraph.js';

/**
 * The e-graph in Graphviz DOT, for debugging: one cluster per e-class holding its nodes, and an
 * edge from each node to the cluster of each child class. Render with `dot -Tsvg`.
 */
export function toDot<D>(egraph: EGraph<D>, name = 'egraph'): string {
  const lines = [`digraph ${JSON.stringify(name)} {`, '  compound=true;', '  clusterrank=local;', '  node [shape=box, style=rounded];'];
  const anchor = (c: number) => `n${egraph.classNodes(c)[0]}`;
  for (const c of egraph.classIds()) {
    lines.push(`  subgraph cluster_${c} {`, `    label=${JSON.stringify(`class ${c}`)};`, '    style=dotted;');
    for (const n of egraph.classNodes(c)) lines.push(`    n${n} [label=${JSON.stringify(egraph.language.format(egraph.nodeOp(n), egraph.nodePayload(n)))}];`);
    lines.push('  }');
  }
  for (const c of egraph.classIds()) {
    for (const n of egraph.classNodes(c)) {
      const kids = egraph.nodeChildren(n);
      kids.forEach((child, i) => {
        const label = kids.length > 1 ? `, label=${i}` : '';
        // Pointing at a node of the child class, clipped at its cluster's border.
        lines.push(`  n${n} -> ${anchor(child)} [lhead=cluster_${child}${label}];`);
      });
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
