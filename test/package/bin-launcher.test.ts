/**
 * The `netsat` command (bin/netsat.mjs) works straight after `npm ci` on a clone and never runs
 * stale code: it builds the CLI when dist/ is missing or older than a source file, and otherwise
 * runs the build it finds. Checked on a copy of the package whose node_modules is this one's.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../support/built-cli.js';

const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
const copy = mkdtempSync(join(tmpdir(), 'netsat-bin-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function netsat(...args: string[]) {
  return spawnSync(process.execPath, [join(copy, 'bin', 'netsat.mjs'), ...args], { cwd: copy, encoding: 'utf8' });
}

describe('the netsat command', () => {
  it('is bin/netsat.mjs, shipped with the package', () => {
    expect(pkg.bin).toEqual({ netsat: './bin/netsat.mjs' });
    expect(pkg.files).toContain('bin');
  });

  it('builds a clone that has no dist/, runs the build it finds, and rebuilds after a source changes', () => {
    for (const f of ['bin', 'src', 'rules', 'package.json', 'tsconfig.json', 'tsup.config.ts']) cpSync(join(packageRoot, f), join(copy, f), { recursive: true });
    symlinkSync(join(packageRoot, 'node_modules'), join(copy, 'node_modules'));

    const fresh = netsat('--version');
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stderr).toMatch(/building the CLI/);
    expect(fresh.stdout.trim()).toBe(pkg.version);

    const built = netsat('--version');
    expect(built.stderr).not.toMatch(/building/);
    expect(built.stdout.trim()).toBe(pkg.version);

    const later = new Date(Date.now() + 60_000);
    utimesSync(join(copy, 'src', 'cli.ts'), later, later);
    const changed = netsat('rules');
    expect(changed.status, changed.stderr).toBe(0);
    expect(changed.stderr).toMatch(/building the CLI/);
    expect(changed.stdout).toMatch(/fusion-llm/);
  });
});
