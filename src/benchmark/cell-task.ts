/** A cell as plain data, so a worker thread can run it: the model by the word that names it. */
import type { DeviceId } from '../cost/device.js';
import type { CellSettings } from './cell.js';
import type { Strategy } from './strategy.js';

export interface CellTask {
  /** A --models word that resolves to exactly this model. */
  model: string;
  strategy: Strategy;
  device: DeviceId;
  settings: CellSettings;
}
