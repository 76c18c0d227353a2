// Preloaded into a child process (node --import): reports its peak resident memory on exit, in KiB.
// The kernel's high-water mark of this process's own memory: getrusage's maxRSS survives exec, so it
// would report the parent's size for a child spawned by a large test worker.
import { readFileSync } from 'node:fs';

process.on('exit', () => process.stderr.write(`\nmaxRSS ${/^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]}\n`));
