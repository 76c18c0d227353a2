import { grown } from './growable.js';

/**
 * The matches of one search, flat: match k is `data[k * width]` (the root class) followed by one
 * class per variable, in the searcher's variable order. Growable, reused across searches.
 */
export class MatchList {
  data = new Int32Array(256);
  count = 0;

  constructor(readonly width: number) {}

  /** Makes room for one more match and returns its offset. */
  reserve(): number {
    const offset = this.count * this.width;
    if (offset + this.width > this.data.length) this.data = grown(this.data, offset + this.width);
    return offset;
  }

  clear(): void {
    this.count = 0;
  }

  /** Keeps only the first `count` matches' storage (frees a large buffer after use). */
  release(): void {
    this.count = 0;
    if (this.data.length > 4096) this.data = new Int32Array(256);
  }
}
