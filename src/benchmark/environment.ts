/** What a benchmark ran on, recorded beside its figures so a run can be reproduced and compared. */
import { cpus, platform, release, totalmem } from 'node:os';
import * as ort from 'onnxruntime-node';
import { packageVersion } from '../cli/package-files.js';
import type { BenchEnvironment } from './result.js';

export function benchEnvironment(): BenchEnvironment {
  return {
    netsat: packageVersion(),
    node: process.version,
    onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
  };
}
