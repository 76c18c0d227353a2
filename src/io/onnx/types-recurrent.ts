/**
 * Type rules of the default domain's recurrent layers, RNN, GRU and LSTM: Y holds every step's
 * hidden state, Y_h (and LSTM's Y_c) the last one, per direction; layout 1 (opset 14) puts batch
 * first. Spec: RNNShapeInference in onnx/defs/rnn/defs.cc.
 */
import type { Dim } from '../../ops/types.js';
import { int, text, typed } from './type-rule.js';
import type { Rule } from './type-rule.js';

const recurrent: Rule = (n) => {
  const [x, r] = [n.input(0), n.input(2)];
  if (x?.shape.length !== 3) return [];
  const batchFirst = int(n, 'layout', 0) === 1;
  const [seq, batch] = (batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]]) as [Dim, Dim];
  const directions = text(n, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  // R is [directions, gates·hidden, hidden]: its last dim is the hidden size when the attribute is absent.
  const hidden: Dim | undefined = n.attr('hidden_size') ? int(n, 'hidden_size', 0) : r?.shape[2];
  if (hidden === undefined) return [];
  const y = typed(x.dtype, batchFirst ? [batch, seq, directions, hidden] : [seq, directions, batch, hidden]);
  const last = typed(x.dtype, batchFirst ? [batch, directions, hidden] : [directions, batch, hidden]);
  return [y, last, last];
};

export const RECURRENT_RULES: Readonly<Record<string, Rule>> = { RNN: recurrent, GRU: recurrent, LSTM: recurrent };
