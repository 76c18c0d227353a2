/**
 * The random choices of one block, read in order. A block's recipe is a list of plain numbers drawn
 * by fast-check; each choice takes the next one and maps it onto its options, so a failing case
 * shrinks toward smaller numbers, that is toward the first option of every choice. Options are
 * therefore listed plainest first (the exporter's own form), odd variants after.
 */
export class Picks {
  #next = 0;

  constructor(private readonly values: readonly number[]) {}

  /** One of `options`. */
  of<T>(options: readonly T[]): T {
    return options[this.#take() % options.length]!;
  }

  /** True about once in `n` draws (never for a shrunk 0). */
  oneIn(n: number): boolean {
    return this.#take() % n === n - 1;
  }

  /** A number the caller maps itself (an operand pick among a pool). */
  raw(): number {
    return this.#take();
  }

  #take(): number {
    // Past the recipe's end, reuse its numbers mixed with the position, so choices stay deterministic.
    const i = this.#next++;
    const n = this.values.length;
    return i < n ? this.values[i]! : (this.values[i % n]! * 31 + i) >>> 0;
  }
}
