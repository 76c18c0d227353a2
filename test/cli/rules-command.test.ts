/** Rule names a user can look up: `netsat rules` lists every shipped rule, and why-not's hint names them all. */
import { describe, expect, it } from 'vitest';
import { shippedRuleFiles } from '../../src/rules/library.js';
import { runCli as run } from '../support/run-cli.js';

const names = shippedRuleFiles().flatMap((f) => f.rules.map((r) => r.name));

describe('rule names', () => {
  it('netsat rules lists every shipped rule by file', async () => {
    const r = await run('rules', '--json');
    expect(r.code).toBe(0);
    const listed = (JSON.parse(r.stdout) as { rules: { name: string }[] }[]).flatMap((f) => f.rules.map((x) => x.name));
    expect(listed).toEqual(names);
    expect((await run('rules')).stdout).toContain(`${names.length} rules in`);
  });

  it('why-not on an unknown rule names every rule and the command that lists them', async () => {
    const r = await run('why-not', 'zoo:gpt2', 'fuse-rmsnorm');
    expect(r.code).toBe(2);
    for (const name of names) expect(r.stderr).toContain(name);
    expect(r.stderr).toContain('netsat rules');
  });
});
