// Starts cell-worker.ts from the TypeScript sources (tests, tsx): a worker thread does not inherit
// the tsx loader of the thread that started it, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./cell-worker.ts');
