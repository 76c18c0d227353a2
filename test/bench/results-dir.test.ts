/** `npm run bench` leaves tracked files alone: figures go to a git-ignored folder unless --record. */
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchArgs, resultsDir } from '../../bench/report.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });

describe('where benchmarks write', () => {
  it('a plain run writes to a git-ignored folder with nothing tracked in it', () => {
    const out = relative(root, resultsDir(false));
    expect(out).toBe(join('bench', 'out'));
    expect(git('check-ignore', '-q', join(out, 'egraph.json')).status).toBe(0);
    expect(execFileSync('git', ['ls-files', out], { cwd: root, encoding: 'utf8' })).toBe('');
  });

  it('--record writes the tracked bench/results/', () => {
    expect(relative(root, resultsDir(true))).toBe(join('bench', 'results'));
    expect(benchArgs(['egraph', '--record'])).toEqual({ only: ['egraph'], record: true });
    expect(benchArgs(['egraph'])).toEqual({ only: ['egraph'], record: false });
    expect(benchArgs([])).toEqual({ only: [], record: false });
  });
});
