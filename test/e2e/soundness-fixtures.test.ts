/**
 * Every failure the soundness property or benchmark ever found, kept as a regression test: the
 * shrunk network (test/fixtures/soundness/*.json, from bench/results/soundness-failures/) must now
 * come out of optimize verified with healing off, so the rules themselves hold on it, not merely
 * the healed result. A fixture whose fix is still pending carries `pending` (who owns it and why)
 * and runs as an expected failure until the fix lands and the field is removed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/network/network.js';
import type { NetworkJSON } from '../../src/network/serialize.js';
import { describeOutcome, soundnessCase } from '../support/soundness-case.js';

interface SoundnessFixture {
  /** What optimize did with the network when it was found, and with which rules. */
  found: string;
  /** Set while the fix is pending: the owner and the reason. */
  pending?: string;
  network: NetworkJSON;
}

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'soundness');
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(DIR, file), 'utf8')) as SoundnessFixture) }));

describe('soundness fixtures: failures found by the random-network property', () => {
  for (const { file, found, pending, network } of fixtures) {
    const test = pending ? it.fails : it;
    test(pending ? `${file} [pending: ${pending}]` : file, async () => {
      const outcome = await soundnessCase(Network.fromJSON(network), { onUnsound: 'throw' });
      expect(describeOutcome(outcome), `found: ${found}`).toBe('verified');
    });
  }
});
