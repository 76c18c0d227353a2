/**
 * A worker thread that runs cells for the benchmark's pool: it receives one cell at a time, runs it
 * and posts its row back (the ONNX files to time are on disk).
 */
import { parentPort } from 'node:worker_threads';
import { runCell } from './cell.js';
import type { CellTask } from './cell-task.js';
import { resolveModels } from './models.js';

parentPort!.on('message', async ({ index, task }: { index: number; task: CellTask }) => {
  const run = await runCell(resolveModels([task.model])[0]!, task.strategy, task.device, task.settings);
  parentPort!.postMessage({ index, run });
});
