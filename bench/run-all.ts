/**
 * Runs every bench/*.bench.ts in its own process (so heap figures do not mix), one after another:
 * `npm run bench [-- name...] [-- --record]`. Figures go to bench/out/ unless --record.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, RECORD_ENV, RECORD_FLAG, resultsDir } from './report.js';

const dir = dirname(fileURLToPath(import.meta.url));
const { only, record } = benchArgs(process.argv.slice(2));
const env = { ...process.env, [RECORD_ENV]: record ? '1' : '0' };
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `${dir}/${file}`], { stdio: 'inherit', env });
  if (r.status !== 0) process.exitCode = 1;
}
console.log(`\nResults in ${resultsDir(record)}${record ? '' : ` (not recorded: npm run bench -- ${RECORD_FLAG} writes bench/results/)`}`);
