#!/usr/bin/env node
/**
 * The netsat command line. It only parses arguments, calls the library and prints; every failure
 * on bad input is one paragraph and exit code 2, with the stack only under --debug.
 */
import { Command } from 'commander';
import { NetsatError } from './errors.js';
import { runDemo } from './demo.js';

const program = new Command();
program.name('netsat').description('Equality-saturation optimizer for neural-network graphs').option('--debug', 'show stack traces of errors');

program
  .command('demo')
  .description('build a two-block Llama-style network, run the built-in rewrite passes, verify numerically, print layers by op')
  .option('--json', 'print the result as JSON')
  .action((opts: { json?: boolean }) => {
    const result = runDemo();
    if (opts.json) console.log(JSON.stringify(result.summary, null, 2));
    else console.log(result.text);
    process.exitCode = result.summary.verified ? 0 : 1;
  });

function fail(e: unknown): never {
  const debug = program.opts<{ debug?: boolean }>().debug;
  if (e instanceof NetsatError && !debug) {
    console.error(`netsat: ${e.message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(2);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  fail(e);
}
