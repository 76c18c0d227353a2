/**
 * What an imported network keeps of its ONNX file for writing it back: IR version, opsets,
 * producer, metadata, graph name and doc, local functions. Held beside the network (not in it), so
 * the network stays format-neutral; export takes it explicitly or finds it here.
 */
import type { FunctionProto, OperatorSetIdProto, StringStringEntryProto } from 'onnx-buf';
import type { Network } from '../../network/network.js';

export interface OnnxOrigin {
  readonly irVersion: bigint;
  readonly opsetImport: readonly OperatorSetIdProto[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly domain: string;
  readonly modelVersion: bigint;
  readonly docString: string;
  readonly metadataProps: readonly StringStringEntryProto[];
  readonly functions: readonly FunctionProto[];
  readonly graphName: string;
  readonly graphDocString: string;
}

const ORIGINS = new WeakMap<Network, OnnxOrigin>();

export function rememberOrigin(network: Network, origin: OnnxOrigin): void {
  ORIGINS.set(network, origin);
}

/** The origin recorded when `network` was read from ONNX, if it was. */
export function onnxOriginOf(network: Network): OnnxOrigin | undefined {
  return ORIGINS.get(network);
}

/** The default-domain opset version an origin imports (18 when there is none). */
export function defaultOpsetOf(origin: OnnxOrigin | undefined): number {
  const entry = origin?.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return entry ? Number(entry.version) : 18;
}
