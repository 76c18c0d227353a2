/**
 * Runs cells on `jobs` worker threads, each taking the next cell when it finishes one. Cells are
 * independent, so only their order of completion varies; results come back in task order. A worker
 * that dies (out of memory, say) fails its cell and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { CellRun } from './cell.js';
import type { CellTask } from './cell-task.js';

/**
 * A worker running cell-worker: the built file under dist/ (a tsup entry of its own), or the
 * sources through a starter that registers tsx (tests, tsx).
 */
function startWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  return new Worker(new URL(fromSource ? './cell-worker-from-source.mjs' : './benchmark-worker.js', import.meta.url));
}

export function runInWorkers(
  tasks: readonly CellTask[],
  jobs: number,
  failedRow: (task: CellTask, message: string) => CellRun,
  onDone: (run: CellRun) => void,
): Promise<CellRun[]> {
  const runs: CellRun[] = new Array(tasks.length);
  let next = 0;
  let finished = 0;
  return new Promise((resolve) => {
    const feed = (worker: Worker) => {
      if (next >= tasks.length) return void worker.terminate();
      const index = next++;
      const settle = (run: CellRun) => {
        runs[index] = run;
        onDone(run);
        if (++finished === tasks.length) resolve(runs);
      };
      worker.once('message', ({ run }: { run: CellRun }) => {
        worker.removeAllListeners('error');
        settle(run);
        feed(worker);
      });
      worker.once('error', (e) => {
        worker.removeAllListeners('message');
        settle(failedRow(tasks[index]!, `the worker thread running it died: ${e.message}`));
        feed(startWorker());
      });
      worker.postMessage({ index, task: tasks[index] });
    };
    if (tasks.length === 0) resolve(runs);
    for (let j = 0; j < Math.min(jobs, tasks.length); j++) feed(startWorker());
  });
}
