/**
 * Network ⇄ JSON (format "netsat-network", version 1) and cloning. Both go through one snapshot
 * walk over the creation log, so a clone and a JSON round trip rebuild the same network: names,
 * order, removed marks, outputs and FLayerInfo included. Constant data are base64 in JSON and
 * shared (read-only) between a network and its clone.
 */
import { FormatError, NetsatError } from '../errors.js';
import { hasOp } from '../ops/registry.js';
import { DTYPES } from '../ops/types.js';
import type { Attrs, DType, ExactElements, NDArray, Shape, TensorType, TypedData } from '../ops/types.js';
import { allocData } from '../ops/ndarray.js';
import { FLayerInfo, FLayerInfoMemo } from './flayer-info.js';
import type { Network } from './network.js';
import { Tensor } from './tensor.js';

export const NETWORK_FORMAT = 'netsat-network';
export const NETWORK_FORMAT_VERSION = 1;

interface TensorJSON {
  name: string;
  dtype: DType;
  shape: Shape;
}

interface DataJSON {
  encoding: 'base64';
  bytes: string;
  /** NDArray.exact where a constant keeps it (uint64 above 2^53, strings): base64, one per string. */
  exact?: string | string[];
}

type EntryJSON =
  | ({ input: string } & Omit<TensorJSON, 'name'>)
  | {
      layer: string;
      op: string;
      attributes: Attrs;
      inputs: (string | null)[];
      outputs: TensorJSON[];
      removed?: true;
      data?: DataJSON;
    };

interface FLayerInfoJSON {
  layer: string;
  layerKind: string;
  rawInputs: unknown;
  rawOutputs: unknown;
}

export interface NetworkJSON {
  format: typeof NETWORK_FORMAT;
  version: number;
  name: string;
  entries: EntryJSON[];
  outputs: string[];
  flayerInfo: FLayerInfoJSON[];
}

/** How constant data cross the copy: base64 text (JSON) or the same arrays (clone). */
interface DataCodec {
  encode(a: NDArray): unknown;
  decode(v: unknown, dtype: DType, shape: readonly number[], where: string): NDArray;
}

const SHARED: DataCodec = {
  encode: (a) => a,
  decode: (v) => v as NDArray,
};

function bytesOf(data: TypedData): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function encodeExact(e: ExactElements): string | string[] {
  return e instanceof Uint8Array ? Buffer.from(e).toString('base64') : e.map((s) => Buffer.from(s).toString('base64'));
}

function decodeExact(e: unknown, where: string): ExactElements {
  const bytes = (b: string) => new Uint8Array(Buffer.from(b, 'base64'));
  if (typeof e === 'string') return bytes(e);
  if (Array.isArray(e) && e.every((x) => typeof x === 'string')) return e.map(bytes);
  throw new FormatError('constant data "exact" must be base64 text or a list of it (one per string)', { where });
}

const BASE64: DataCodec = {
  encode: (a) => ({ encoding: 'base64', bytes: bytesOf(a.data).toString('base64'), ...(a.exact ? { exact: encodeExact(a.exact) } : {}) }),
  decode(v, dtype, shape, where) {
    const d = v as DataJSON;
    if (d?.encoding !== 'base64' || typeof d.bytes !== 'string') throw new FormatError('constant data must be {encoding: "base64", bytes}', { where });
    const n = shape.reduce((a, b) => a * b, 1);
    const data = allocData(dtype, n);
    const buf = Buffer.from(d.bytes, 'base64');
    if (buf.byteLength !== data.byteLength) {
      throw new FormatError(`constant data hold ${buf.byteLength} bytes; ${dtype}[${shape.join(', ')}] needs ${data.byteLength}`, { where });
    }
    bytesOf(data).set(buf);
    return d.exact === undefined ? { dtype, shape: [...shape], data } : { dtype, shape: [...shape], data, exact: decodeExact(d.exact, where) };
  },
};

/** Encodes a raw FLayerInfo value: tensors by name, nested arrays and objects kept. */
function encodeValue(v: unknown): unknown {
  if (v instanceof Tensor) return { $tensor: v.name };
  if (v === undefined) return { $undefined: true };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(x)]));
  return v;
}

function decodeValue(v: unknown, network: Network, where: string): unknown {
  if (Array.isArray(v)) return v.map((x) => decodeValue(x, network, where));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$tensor === 'string') {
      const t = network.getTensor(o.$tensor);
      if (!t) throw new FormatError(`FLayerInfo refers to unknown tensor "${o.$tensor}"`, { where });
      return t;
    }
    if (o.$undefined === true) return undefined;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeValue(x, network, where)]));
  }
  return v;
}

function snapshot(network: Network, codec: DataCodec): NetworkJSON {
  const entries: EntryJSON[] = network.creationLog.map((e) => {
    if (e.kind === 'input') return { input: e.tensor.name, dtype: e.tensor.dtype, shape: [...e.tensor.shape] };
    const l = e.layer;
    return {
      layer: l.name,
      op: l.op,
      attributes: l.attributes,
      inputs: l.inputSlots.map((t) => t?.name ?? null),
      outputs: l.outputs.map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape] })),
      ...(l.isRemoved() ? { removed: true as const } : {}),
      ...(l.constantData ? { data: codec.encode(l.constantData) as DataJSON } : {}),
    };
  });
  const memo = FLayerInfoMemo.instance();
  const flayerInfo: FLayerInfoJSON[] = [];
  for (const l of network.allLayers) {
    const info = memo.get(l);
    if (info) flayerInfo.push({ layer: l.name, layerKind: info.layerKind, rawInputs: encodeValue(info.rawInputs), rawOutputs: encodeValue(info.rawOutputs) });
  }
  return { format: NETWORK_FORMAT, version: NETWORK_FORMAT_VERSION, name: network.name, entries, outputs: network.outputs.map((t) => t.name), flayerInfo };
}

function fail(message: string, where?: string, hint?: string): never {
  throw new FormatError(message, { where, hint });
}

function checkTensorJSON(t: Partial<TensorJSON>, where: string): TensorType {
  if (!DTYPES.includes(t.dtype as DType)) fail(`unknown dtype ${JSON.stringify(t.dtype)}`, where, `use one of ${DTYPES.join(', ')}`);
  if (!Array.isArray(t.shape)) fail('shape must be an array', where);
  return { dtype: t.dtype as DType, shape: Object.freeze([...t.shape]) };
}

function restore(json: NetworkJSON, target: Network, codec: DataCodec): Network {
  if (json === null || typeof json !== 'object') fail('network JSON must be an object');
  if (json.format !== NETWORK_FORMAT) fail(`not a netsat network (format is ${JSON.stringify(json.format)})`, undefined, `expected "format": "${NETWORK_FORMAT}"`);
  if (json.version !== NETWORK_FORMAT_VERSION) {
    fail(
      `network JSON version ${JSON.stringify(json.version)} is not supported`,
      undefined,
      `this netsat reads version ${NETWORK_FORMAT_VERSION}; re-export the network with a matching netsat`,
    );
  }
  if (!Array.isArray(json.entries)) fail('"entries" must be an array');
  try {
    const pending: [ReturnType<Network['restoreLayer']>, (string | null)[], boolean][] = [];
    json.entries.forEach((e, k) => {
      const where = `entries[${k}]`;
      if ('input' in e) {
        const t = checkTensorJSON(e, where);
        target.addInput(e.input, t.dtype, t.shape);
        return;
      }
      if (typeof e.op !== 'string' || !hasOp(e.op))
        fail(`unknown op ${JSON.stringify(e.op)}`, `${where} (layer ${e.layer})`, 'this netsat does not know that op; upgrade netsat or remove the layer');
      if (!Array.isArray(e.inputs) || !Array.isArray(e.outputs)) fail('a layer needs "inputs" and "outputs" arrays', `${where} (layer ${e.layer})`);
      const outputs = e.outputs.map((o, i) => ({ name: o.name, type: checkTensorJSON(o, `${e.layer} output ${i}`) }));
      const data = e.data !== undefined ? codec.decode(e.data, outputs[0]!.type.dtype, outputs[0]!.type.shape as number[], e.layer) : undefined;
      const layer = target.restoreLayer(e.op, e.attributes ?? {}, e.layer, outputs, data, e.inputs.length);
      pending.push([layer, e.inputs, e.removed === true]);
    });
    for (const [layer, inputs, removed] of pending) {
      inputs.forEach((name, i) => {
        if (name === null) return;
        const t = target.getTensor(name);
        if (!t) fail(`layer ${layer.name} reads unknown tensor "${name}"`, layer.name);
        target.restoreSlot(layer, i, t);
      });
      if (removed) target.restoreRemoved(layer);
    }
    target.setOutputs((json.outputs ?? []).map((name) => target.getTensor(name) ?? fail(`output "${name}" is not a tensor of the network`, 'outputs')));
    const memo = FLayerInfoMemo.instance();
    for (const f of json.flayerInfo ?? []) {
      const layer = target.getLayer(f.layer) ?? fail(`FLayerInfo of unknown layer "${f.layer}"`, 'flayerInfo');
      const where = `flayerInfo of ${f.layer}`;
      memo.add(new FLayerInfo(f.layerKind, decodeValue(f.rawInputs, target, where) as Record<string, unknown>, decodeValue(f.rawOutputs, target, where), layer));
    }
    target.validate();
    return target;
  } catch (e) {
    if (e instanceof FormatError || !(e instanceof NetsatError)) throw e;
    throw new FormatError(`network JSON is inconsistent: ${e.what}`, { where: e.where, hint: e.hint });
  }
}

export function networkToJSON(network: Network): NetworkJSON {
  return snapshot(network, BASE64);
}

export function networkFromJSON(json: NetworkJSON, target: Network): Network {
  return restore(json, target, BASE64);
}

export function cloneNetwork(network: Network, target: Network): Network {
  return restore(snapshot(network, SHARED), target, SHARED);
}
