import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadWorkload, runWorkload } from '../../src/egraph/workload.js';
import { describeShared, SHARED_DIR, sharedPath } from '../support/shared.js';

interface Expected {
  stop_reason: string;
  iterations: number;
  initial: { eclasses: number; enodes: number };
  final: { eclasses: number; enodes: number };
  total_matches: number;
  per_iteration: { iteration: number; eclasses: number; enodes: number; matches: Record<string, number> }[];
}

const files = SHARED_DIR
  ? readdirSync(sharedPath('bench', 'egraph-workloads'))
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

describeShared('egraph workloads reproduce egg exactly', () => {
  it.each(files)(
    '%s',
    (file) => {
      const workload = loadWorkload(sharedPath('bench', 'egraph-workloads', file));
      const expected = workload.expected as Expected;
      const result = runWorkload(workload);
      expect(result.stop_reason).toBe(expected.stop_reason);
      expect(result.iterations).toBe(expected.iterations);
      expect(result.initial).toEqual(expected.initial);
      expect(result.final).toEqual(expected.final);
      expect(result.total_matches).toBe(expected.total_matches);
      expect(result.per_iteration.map(({ iteration, eclasses, enodes, matches }) => ({ iteration, eclasses, enodes, matches }))).toEqual(
        expected.per_iteration.map(({ iteration, eclasses, enodes, matches }) => ({ iteration, eclasses, enodes, matches })),
      );
    },
    120_000,
  );
});
