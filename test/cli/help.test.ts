/** Help that holds: --version is package.json's, and `saturate --help` points at workloads the package ships and that run. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ZOO } from '../../src/zoo/catalog.js';
import { runCli as run } from '../support/run-cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('help and version', () => {
  it("--version prints package.json's version", async () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    for (const flag of ['--version', '-V']) expect(await run(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('the commands that read a network name both file kinds and every zoo network', async () => {
    for (const command of ['optimize', 'inspect', 'why-not']) {
      const help = (await run(command, '--help')).stdout.replace(/\s+/g, ' ');
      expect(help).toContain('.json or .onnx');
      for (const name of Object.keys(ZOO)) expect(help, command).toContain(`zoo:${name}`);
    }
  });

  it('a command line commander refuses says where the usage is', async () => {
    for (const argv of [['saturate'], ['frobnicate'], ['optimize', '--no-such-flag']]) {
      let stderr = '';
      const code = await main(argv, { stdout: () => {}, stderr: (s) => void (stderr += s), isTTY: false });
      expect(code).toBe(2);
      expect(stderr).toMatch(/error: [\s\S]*--help/);
    }
  });

  it('saturate --help names example workloads that the package ships and that run', async () => {
    const help = (await run('saturate', '--help')).stdout;
    const examples = [...help.matchAll(/netsat saturate (\S+\.json)/g)].map((m) => m[1]!);
    expect(examples).toHaveLength(2);
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files = (packed[0].files as { path: string }[]).map((f) => f.path);
    for (const example of examples) {
      expect(files).toContain(relative(root, example));
      const r = await run('saturate', example, '--json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).stop_reason).toBe('saturated');
    }
  });
});
