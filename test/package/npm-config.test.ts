/**
 * The project's npm setup, as a new user meets it: npm prints no warning (a key in .npmrc that npm
 * does not know warns on every command), and install scripts stay off so that onnxruntime-node's
 * postinstall does not download CUDA providers netsat never loads.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** npm in the repository with a user's environment: none of the npm_config_* that running under npm (or npx vitest) sets. */
function npm(...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return spawnSync('npm', args, { cwd: root, encoding: 'utf8', env });
}

describe('npm in this repository', () => {
  it('prints no warnings', () => {
    const r = npm('pkg', 'get', 'name');
    expect(r.stdout.trim()).toBe('"netsat"');
    expect(r.stderr).not.toMatch(/npm warn/i);
  });

  it('runs no install scripts, so onnxruntime-node downloads nothing', () => {
    expect(npm('config', 'get', 'ignore-scripts').stdout.trim()).toBe('true');
  });
});
