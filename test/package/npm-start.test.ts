/**
 * `npm start` builds only what it runs: the JavaScript, not the type declarations (30 of its 44 s),
 * and leaves the declarations a full build made in place. Run here with the start script's own
 * build command, into a scratch folder holding a stand-in declaration file.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, '.vitest', 'start-build');

describe('npm start', () => {
  it('builds the CLI without declarations and keeps the existing ones', () => {
    const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string;
    const build = start.split('&&')[0]!.trim();
    expect(build).toMatch(/^tsup\b/);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const marker = '// declarations of an earlier full build\n';
    writeFileSync(join(out, 'index.d.ts'), marker);
    execSync(`npx ${build} --out-dir ${JSON.stringify(out)}`, { cwd: root, stdio: 'pipe' });
    expect(existsSync(join(out, 'cli.js'))).toBe(true);
    expect(readFileSync(join(out, 'index.d.ts'), 'utf8')).toBe(marker);
  });
});
