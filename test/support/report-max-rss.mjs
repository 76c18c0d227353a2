// Preloaded into a child process (node --import): reports its peak resident memory on exit, in KiB.
process.on('exit', () => process.stderr.write(`\nmaxRSS ${process.resourceUsage().maxRSS}\n`));
