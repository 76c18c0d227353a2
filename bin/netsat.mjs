#!/usr/bin/env node
// The `netsat` command. An installed package runs its built CLI. In a clone of the repository the CLI
// is built first (as `npm start` does) when it is missing or older than a source file, so `npx netsat`
// works straight after `npm ci` and never runs stale code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const tsup = join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js');

/** The newest modification time of the files under `dir`, in ms. */
function newest(dir) {
  let ms = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) ms = Math.max(ms, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  return ms;
}

const clone = existsSync(join(root, 'src')) && existsSync(tsup);
if (clone && (!existsSync(cli) || newest(join(root, 'src')) > statSync(cli).mtimeMs)) {
  process.stderr.write('netsat: building the CLI from src/ (dist/ is missing or older)\n');
  execFileSync(process.execPath, [tsup, '--silent', '--no-dts'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
if (!existsSync(cli)) {
  process.stderr.write(`netsat: ${cli} is missing: build the package (npm ci && npm run build)\n`);
  process.exit(2);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
