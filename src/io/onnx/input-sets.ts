/**
 * Input sets for the check read from ONNX TensorProto files, laid out as ONNX's backend tests lay
 * out test_data_set_N: a folder of input_0.pb, input_1.pb, ... is one set, each file matched to a
 * graph input by the TensorProto's name or, where it has none, by its number. A single .pb file is
 * a set of that one tensor.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema } from 'onnx-buf';
import type { TensorProto } from 'onnx-buf';
import { bindGivenInputs, declaredInputs } from '../../interp/given-inputs.js';
import type { InputValues } from '../../interp/given-inputs.js';
import type { Network } from '../../network/network.js';
import type { NDArray } from '../../ops/types.js';
import { OnnxImportError } from './errors.js';
import { tensorToArray } from './tensor-data.js';

const LAYOUT_HINT = 'give a folder of input_0.pb, input_1.pb, ... (serialized TensorProtos, as ONNX test_data_set_N folders hold them) or one .pb file';

/** The files of one set at `path`, with the number each file's name gives it (its position among the graph inputs). */
function setFiles(path: string): { file: string; index: number }[] {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new OnnxImportError(`input set "${path}" does not exist`, { where: path, hint: LAYOUT_HINT });
  }
  if (!isFolder) return [{ file: path, index: 0 }];
  return readdirSync(path)
    .map((name) => ({ name, match: /^input_(\d+)\.pb$/.exec(name) }))
    .filter((f) => f.match)
    .map((f) => ({ file: join(path, f.name), index: Number(f.match![1]) }))
    .sort((a, b) => a.index - b.index);
}

function decode(file: string): TensorProto {
  try {
    return fromBinary(TensorProtoSchema, readFileSync(file));
  } catch (e) {
    throw new OnnxImportError(`"${file}" is not a serialized TensorProto: ${e instanceof Error ? e.message : String(e)}`, { where: file, hint: LAYOUT_HINT });
  }
}

/** The graph input `proto` (read from `file`, numbered `index`) is for: its name where it has one, else the input at its number. */
function inputName(network: Network, proto: TensorProto, file: string, index: number): string {
  if (proto.name) {
    if (network.inputs.some((t) => t.name === proto.name)) return proto.name;
    throw new OnnxImportError(`"${file}" holds tensor "${proto.name}", which is not an input of ${network.name}`, {
      where: file,
      hint: `name it after one of the inputs (${declaredInputs(network)}), or leave its name empty to match the input at its number`,
    });
  }
  const t = network.inputs[index];
  if (t) return t.name;
  throw new OnnxImportError(`"${file}" has no name and its number ${index} is past the ${network.inputs.length} inputs of ${network.name}`, {
    where: file,
    hint: `number the files from 0 in the order of the inputs (${declaredInputs(network)}), or name each tensor after its input`,
  });
}

/** One input set: the tensors at `path` by graph input name, checked against the inputs `network` declares. */
export function readInputSet(path: string, network: Network): InputValues {
  const files = setFiles(path);
  // A network without inputs takes the empty set; for any other, an empty folder is a wrong path.
  if (files.length === 0 && network.inputs.length > 0) throw new OnnxImportError(`folder "${path}" holds no input_<n>.pb file`, { where: path, hint: LAYOUT_HINT });
  const values: Record<string, NDArray> = {};
  const sources: Record<string, string> = {};
  for (const { file, index } of files) {
    const proto = decode(file);
    const name = inputName(network, proto, file, index);
    if (sources[name]) {
      throw new OnnxImportError(`"${file}" and "${sources[name]}" both give input ${name}`, { where: file, hint: 'give each input once per set' });
    }
    sources[name] = file;
    // External data, if any, lie beside the file.
    values[name] = tensorToArray(proto, file, { modelDir: dirname(file) });
  }
  bindGivenInputs(network, values, (name) => `${sources[name]} (input ${name})`);
  return values;
}

/** One input set per path (a folder of input_<n>.pb files, or one .pb file). */
export function readInputSets(paths: readonly string[], network: Network): InputValues[] {
  return paths.map((path) => readInputSet(path, network));
}
