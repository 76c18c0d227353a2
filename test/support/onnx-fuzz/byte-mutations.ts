/**
 * Byte-level mutations of an ONNX file: flip a bit, overwrite bytes, truncate, insert or delete a
 * run, duplicate a chunk. Most of a real model's bytes are weights, where a flipped bit only changes
 * a number, so a step aims at the protobuf structure (everything outside raw_data payloads) unless
 * it asks for anywhere in the file.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';

export const BYTE_KINDS = ['flip', 'overwrite', 'truncate', 'insert', 'delete', 'duplicate'] as const;
export type ByteKind = (typeof BYTE_KINDS)[number];

/** One step; the numbers are read modulo what they index, so any value is a valid step (and shrinks toward 0). */
export interface ByteStep {
  kind: ByteKind;
  /** Position, read modulo the structure bytes (or the whole file when `anywhere`). */
  at: number;
  /** Run length, bit index or byte value. */
  n: number;
  anywhere: boolean;
}

/** Bytes that matter to protobuf: field tags, lengths, names, shapes; the complement of the raw_data payloads. */
export type Segments = readonly (readonly [number, number])[];

/** The structure segments of a valid model's bytes (the whole file when they do not decode). */
export function structureSegments(bytes: Uint8Array): Segments {
  let payloads: [number, number][];
  try {
    const graph = fromBinary(ModelProtoSchema, bytes).graph;
    payloads = (graph?.initializer ?? [])
      .filter((t) => t.rawData.length > 0 && t.rawData.buffer === bytes.buffer)
      .map((t) => [t.rawData.byteOffset - bytes.byteOffset, t.rawData.byteOffset - bytes.byteOffset + t.rawData.length] as [number, number])
      .sort((a, b) => a[0] - b[0]);
  } catch {
    payloads = [];
  }
  const segments: [number, number][] = [];
  let from = 0;
  for (const [start, end] of payloads) {
    if (start > from) segments.push([from, start]);
    from = Math.max(from, end);
  }
  if (from < bytes.length) segments.push([from, bytes.length]);
  return segments;
}

function position(step: ByteStep, length: number, segments: Segments): number {
  if (length === 0) return 0;
  const total = segments.reduce((s, [a, b]) => s + b - a, 0);
  if (step.anywhere || total === 0) return step.at % length;
  let k = step.at % total;
  for (const [a, b] of segments) {
    if (k < b - a) return Math.min(a + k, length - 1);
    k -= b - a;
  }
  return length - 1;
}

/** Byte values a mutation writes: extremes and varint continuation bytes, then anything. */
const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x08, 0x0a, 0x12, 0x1a, 0x22];
const byteValue = (n: number) => (n < INTERESTING.length ? INTERESTING[n]! : n & 0xff);

/** Applies one step; `segments` are the seed's, kept while lengths shift (a position is clamped). */
function applyStep(bytes: Uint8Array, step: ByteStep, segments: Segments): Uint8Array {
  const at = position(step, bytes.length, segments);
  const run = 1 + (step.n % 64);
  switch (step.kind) {
    case 'flip':
      if (bytes.length) bytes[at] = bytes[at]! ^ (1 << (step.n % 8));
      return bytes;
    case 'overwrite':
      bytes.fill(byteValue(step.n), at, Math.min(bytes.length, at + 1 + (step.n % 4)));
      return bytes;
    case 'truncate':
      return bytes.subarray(0, at);
    case 'insert':
      return concat(bytes.subarray(0, at), new Uint8Array(run).fill(byteValue(step.n)), bytes.subarray(at));
    case 'delete':
      return concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + run)));
    case 'duplicate':
      return concat(bytes.subarray(0, at + run), bytes.subarray(at, at + run), bytes.subarray(at + run));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

/** A mutated copy of `bytes` (the seed is never touched). */
export function mutateBytes(bytes: Uint8Array, steps: readonly ByteStep[], segments: Segments): Uint8Array {
  let out = steps.length ? new Uint8Array(bytes) : bytes;
  for (const step of steps) out = applyStep(out, step, segments);
  return out;
}
