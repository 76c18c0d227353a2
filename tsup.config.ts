import { defineConfig } from 'tsup';

export default defineConfig({
  // The benchmark's worker threads load their own entry (src/benchmark/pool.ts starts it).
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'benchmark-worker': 'src/benchmark/cell-worker.ts' },
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  // Keep declarations when cleaning: `npm start` builds without them (they took 30 of its 44 s),
  // and must not delete the ones a full build (`npm run build`) made.
  clean: ['!**/*.d.{ts,cts,mts}'],
  splitting: true,
});
