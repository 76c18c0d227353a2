/**
 * netsat reads every file it writes: each real model that optimizes is written with the default
 * target (onnxruntime contrib ops), then read back by inspect, explain, why-not and optimize, with no
 * initializer left unread. onnxscript's fused models (onnxruntime's transformers fusions) read too.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { expect, it } from 'vitest';
import { PROVENANCE_KEY } from '../../src/io/network-file.js';
import { readOnnxFile } from '../../src/io/onnx/decode.js';
import { writeOnnx } from '../../src/io/onnx/export.js';
import type { Layer } from '../../src/network/layer.js';
import { createSession, seededFeeds } from '../../src/io/onnx/verify-ort.js';
import { describeShared, sharedPath } from '../support/shared.js';
import { runCli as run } from '../support/run-cli.js';

/** Initializers no node reads and no graph output names. */
function unusedInitializers(path: string): string[] {
  const graph = fromBinary(ModelProtoSchema, readFileSync(path)).graph!;
  const read = new Set([...graph.node.flatMap((n) => n.input), ...graph.output.map((o) => o.name)]);
  return graph.initializer.map((t) => t.name).filter((n) => !read.has(n));
}

function provenanceOf(path: string): { newLayers: { layer: string; replaced: string[] }[] } {
  const entry = fromBinary(ModelProtoSchema, readFileSync(path)).metadataProps.find((p) => p.key === PROVENANCE_KEY);
  return JSON.parse(entry!.value);
}

/** onnxruntime's contrib ops, which netsat keeps as Opaque layers. */
const isContrib = (l: Layer) => l.op === 'Opaque' && (l.attributes['domain'] === 'com.microsoft' || l.attributes['opType'] === 'SimplifiedLayerNormalization');

/** The real models netsat optimizes today (ViT and Whisper need shape inference netsat does not do). */
const MODELS = ['llama', 'bert', 'gpt2', 'squeezenet', 'mobilenet', 'mistral', 'phi3', 'efficientnet'];
const dir = mkdtempSync(join(tmpdir(), 'netsat-reopen-'));

describeShared('outputs netsat writes, read back', () => {
  for (const model of MODELS) {
    it(`${model}: inspect, explain, why-not and optimize read the ort output; no unused initializer`, async () => {
      const out = join(dir, `${model}.opt.onnx`);
      expect((await run('optimize', sharedPath('data', 'onnx', `${model}.onnx`), '-o', out, '--no-verify')).code).toBe(0);
      expect(unusedInitializers(out)).toEqual([]);
      const inspected = await run('inspect', out);
      expect(inspected.stderr).toBe('');
      expect(inspected.stdout).not.toMatch(/\bOpaque\b/);
      const fused = provenanceOf(out).newLayers.find((p) => p.replaced.length > 1)!;
      const explained = await run('explain', out, fused.layer);
      expect(explained.code).toBe(0);
      expect(explained.stdout).toContain(`replaces: ${fused.replaced.join(', ')}`);
      expect((await run('why-not', out, 'linear-gemm')).stderr).toBe('');
      const again = await run('optimize', out, '-o', join(dir, `${model}.again.onnx`), '--no-verify');
      expect(again.stderr).toBe('');
      expect(unusedInitializers(join(dir, `${model}.again.onnx`))).toEqual([]);
    });
  }

  it('--in-place on an ONNX file leaves a file netsat reads and verifies (onnxruntime runs the contrib ops)', async () => {
    const file = join(dir, 'bert.onnx');
    copyFileSync(sharedPath('data', 'onnx', 'bert.onnx'), file);
    expect((await run('optimize', file, '--in-place', '--no-verify')).code).toBe(0);
    const again = await run('optimize', file, '-o', join(dir, 'bert.twice.onnx'));
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/Verification \(onnxruntime.*PASS/);
  });

  it("types every contrib output as onnxruntime computes it (netsat outputs and onnxscript fusions; onnxscript's gpt2 does not run in onnxruntime)", async () => {
    const files = [
      ...MODELS.map((m) => join(dir, `${m}.opt.onnx`)),
      ...['bert', 'llama', 'mistral', 'phi3', 'whisper_enc'].map((m) => sharedPath('data', 'onnx', 'peers', `${m}.onnxscript.onnx`)),
    ];
    let checked = 0;
    for (const file of files) {
      const { network, origin } = readOnnxFile(file);
      const contrib = network.layers.filter(isContrib).flatMap((l) => l.outputs);
      for (const t of contrib) if (!network.isOutput(t)) network.markOutput(t);
      const bytes = writeOnnx(network, { origin });
      const session = await createSession(bytes, 'disabled');
      const got = await session.run(seededFeeds(bytes));
      await session.release();
      for (const t of contrib) expect(got[t.name]!.dims, `${file}: ${t.name}`).toEqual(t.shape);
      checked += contrib.length;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("reads onnxscript's fused models (onnxruntime's transformers fusions: SkipLayerNormalization, Attention, ...)", async () => {
    for (const file of readdirSync(sharedPath('data', 'onnx', 'peers')).filter((f) => f.endsWith('.onnx'))) {
      const r = await run('inspect', sharedPath('data', 'onnx', 'peers', file));
      expect(r.stderr, file).toBe('');
    }
  });
});
