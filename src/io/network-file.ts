/**
 * Network files on disk: the reader and writer are chosen by the file's extension, so another
 * format (ONNX, from src/io/onnx) is one more entry in FORMATS. Files written by `optimize` carry a
 * `provenance` section beside the network (where each new layer came from), which `explain` reads
 * back. Writes are atomic: a temporary file in the same folder, then a rename.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { FormatError, NetsatError } from '../errors.js';
import type { Provenance } from '../lower/from-selection.js';
import { Network } from '../network/network.js';
import type { NetworkJSON } from '../network/serialize.js';
import { readOnnx } from './onnx/decode.js';
import type { ExportTarget } from './onnx/emit.js';
import { writeOnnx } from './onnx/export.js';
import type { OnnxOrigin } from './onnx/origin.js';

/** A file that cannot be read or written, or whose kind netsat does not know. */
export class NetworkFileError extends NetsatError {}

/** One rewrite of a proof, as stored (the report's ProofStep). */
export interface StoredProofStep {
  rule: string;
  direction: 'forward' | 'backward';
  op: string;
}

/** What `optimize` records about the layers it added. */
export interface NetworkProvenance {
  /** The file the network was optimized from. */
  source: string;
  newLayers: readonly Provenance[];
  removed: readonly string[];
  proofs: Readonly<Record<string, readonly StoredProofStep[]>>;
}

export interface NetworkFile {
  network: Network;
  provenance?: NetworkProvenance | undefined;
  /**
   * Opset, producer and metadata of the ONNX file the network was read from. Kept beside it, since
   * `optimize` returns a clone the origin is not recorded for; an .onnx file is written with them.
   */
  origin?: OnnxOrigin | undefined;
}

export interface NetworkReadOptions {
  /** For .onnx: fix input dims, `"name:1,32 other:1,3,224,224"` (see OnnxReadOptions). */
  overwriteInputShapes?: string;
}

export interface NetworkWriteOptions {
  /** For .onnx: 'onnx' (default) standard ops only, 'ort' onnxruntime's contrib ops where they fit. */
  target?: ExportTarget;
  /** For .onnx: the default-domain opset to write (7 to 21); default: the origin's. */
  opset?: number;
}

interface NetworkFormat {
  readonly name: string;
  readonly extensions: readonly string[];
  decode(bytes: Buffer, path: string, options: NetworkReadOptions): NetworkFile;
  encode(file: NetworkFile, options: NetworkWriteOptions): string | Uint8Array;
}

const JSON_FORMAT: NetworkFormat = {
  name: 'netsat network JSON',
  extensions: ['.json'],
  decode(bytes, path, { overwriteInputShapes }) {
    if (overwriteInputShapes !== undefined) {
      throw new NetworkFileError('input shapes can be overwritten in ONNX models only', {
        where: path,
        hint: 'a netsat JSON network states its input shapes itself: edit them there',
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw new FormatError(`${path} is not valid JSON: ${(e as Error).message}`, { where: path, hint: 'pass a network written by netsat (Network.toJSON)' });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new FormatError(`${path} holds no JSON object`, { where: path, hint: 'pass a network written by netsat (Network.toJSON)' });
    }
    const { provenance, ...network } = json as NetworkJSON & { provenance?: NetworkProvenance };
    try {
      return { network: Network.fromJSON(network as NetworkJSON), provenance };
    } catch (e) {
      if (e instanceof NetsatError) throw new FormatError(`${path}: ${e.what}`, { where: e.where ?? path, ...(e.hint ? { hint: e.hint } : {}) });
      throw e;
    }
  },
  encode({ network, provenance }) {
    return `${JSON.stringify(provenance ? { ...network.toJSON(), provenance } : network.toJSON())}\n`;
  },
};

/** The metadata_props key under which an ONNX file carries its provenance, as JSON. */
export const PROVENANCE_KEY = 'netsat.provenance';

/** The provenance an ONNX file carries, and its origin without it (a later write states its own, or none). */
function splitProvenance(origin: OnnxOrigin, path: string): { origin: OnnxOrigin; provenance: NetworkProvenance | undefined } {
  const entry = origin.metadataProps.find((p) => p.key === PROVENANCE_KEY);
  if (!entry) return { origin, provenance: undefined };
  let provenance: NetworkProvenance;
  try {
    provenance = JSON.parse(entry.value) as NetworkProvenance;
  } catch (e) {
    throw new FormatError(`the ${PROVENANCE_KEY} metadata of ${path} is not valid JSON: ${(e as Error).message}`, {
      where: path,
      hint: 'remove the entry, or optimize the source model again',
    });
  }
  return { origin: { ...origin, metadataProps: origin.metadataProps.filter((p) => p !== entry) }, provenance };
}

/** ONNX models, written for the target with the origin's opset and metadata, the provenance in metadata_props. */
const ONNX_FORMAT: NetworkFormat = {
  name: 'ONNX model',
  extensions: ['.onnx'],
  decode(bytes, path, { overwriteInputShapes }) {
    const { network, origin } = readOnnx(bytes, { path, ...(overwriteInputShapes !== undefined ? { overwriteInputShapes } : {}) });
    return { network, ...splitProvenance(origin, path) };
  },
  encode: ({ network, origin, provenance }, { target, opset }) =>
    writeOnnx(network, {
      target: target ?? 'onnx',
      ...(origin ? { origin } : {}),
      ...(opset !== undefined ? { opset } : {}),
      metadata: provenance ? { [PROVENANCE_KEY]: JSON.stringify(provenance) } : {},
    }),
};

/** The formats netsat reads and writes; ONNX joins here. */
const FORMATS: readonly NetworkFormat[] = [JSON_FORMAT, ONNX_FORMAT];

function formatFor(path: string): NetworkFormat {
  const ext = extname(path).toLowerCase();
  const format = FORMATS.find((f) => f.extensions.includes(ext));
  if (!format) {
    throw new NetworkFileError(`netsat does not know the network file kind "${ext || '(no extension)'}"`, {
      where: path,
      hint: `name the file with one of: ${FORMATS.flatMap((f) => f.extensions).join(', ')}`,
    });
  }
  return format;
}

/** Reads a network file (and its provenance, if any); every failure is a NetsatError naming the file. */
export function readNetworkFile(path: string, options: NetworkReadOptions = {}): NetworkFile {
  const format = formatFor(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new NetworkFileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      where: path,
      hint: 'check the path and that the file is readable',
    });
  }
  return format.decode(bytes, path, options);
}

/** Writes `text` to `path` atomically: a temporary file beside it, renamed over it. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new NetworkFileError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      where: path,
      hint: 'check that the folder exists and is writable',
    });
  }
}

/** Encodes the network (and provenance) in the format of `path`'s extension and writes it atomically. */
export function writeNetworkFile(path: string, file: NetworkFile, options: NetworkWriteOptions = {}): void {
  writeFileAtomic(path, formatFor(path).encode(file, options));
}

/** Checks that netsat can write `path`'s kind, before any work is done. */
export function checkNetworkFileKind(path: string): void {
  formatFor(path);
}
