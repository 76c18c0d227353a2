/**
 * The value axis of the speedup chart: linear when the values (and 1.0, the "no change" line) span
 * at most LOG_ABOVE_RATIO, logarithmic beyond, with ticks at round numbers. Positions are fractions
 * of the axis (0 at the low end), computed in log space for the log axis so that values near the
 * float limits never make an infinite or NaN coordinate.
 */

/** Values spanning more than this ratio (largest over smallest, 1.0 included) get a log axis. */
const LOG_ABOVE_RATIO = 10;
/** About this many ticks on a linear axis, and at most twice this many decades labelled on a log axis. */
const TARGET_TICKS = 5;

export interface AxisTick {
  /** 0 at the axis' low end, 1 at its high end. */
  readonly fraction: number;
  readonly label: string;
}

export interface ChartScale {
  readonly kind: 'linear' | 'log';
  readonly ticks: readonly AxisTick[];
  /** Where a positive value lies on the axis, 0 at the low end and 1 at the high end. */
  fraction(value: number): number;
}

/** The axis for these positive finite values; 1.0 always lies on it. */
export function chooseScale(values: readonly number[]): ChartScale {
  const low = Math.min(1, ...values);
  const high = Math.max(1, ...values);
  return high / low > LOG_ABOVE_RATIO ? logScale(low, high) : linearScale(low, high);
}

/** 1, 2 or 5 times a power of ten: the round step nearest above `rough`. */
function roundStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const mantissa = [1, 2, 5, 10].find((m) => m * power >= rough)!;
  return mantissa * power;
}

function linearScale(low: number, high: number): ChartScale {
  const step = roundStep(Math.max(high - low, 0.2) / TARGET_TICKS);
  const from = Math.max(0, Math.floor(low / step) * step);
  const to = Math.max(Math.ceil(high / step) * step, from + step);
  const fraction = (value: number) => (value - from) / (to - from);
  const count = Math.round((to - from) / step);
  const ticks = Array.from({ length: count + 1 }, (_, k) => {
    const value = Number((from + k * step).toFixed(10));
    return { fraction: fraction(value), label: `${value}x` };
  });
  return { kind: 'linear', ticks, fraction };
}

/**
 * Ticks at 1, 2 and 5 per decade over a few decades; over many, at every `stride`-th power of ten.
 * The axis ends on ticks, so the data never runs past the last label.
 */
function logScale(low: number, high: number): ChartScale {
  const decades = Math.ceil(Math.log10(high)) - Math.floor(Math.log10(low));
  const exponents = decades <= 3 ? oneTwoFiveExponents(low, high) : powerOfTenExponents(low, high, Math.ceil(decades / (2 * TARGET_TICKS)));
  const from = exponents[0]!;
  const to = exponents[exponents.length - 1]!;
  const fraction = (value: number) => (Math.log10(value) - from) / (to - from);
  const ticks = exponents.map((e) => ({ fraction: (e - from) / (to - from), label: `${powerLabel(e)}x` }));
  return { kind: 'log', ticks, fraction };
}

/** log10 of 1, 2 and 5 times each power of ten, from the last at or below `low` to the first at or above `high`. */
function oneTwoFiveExponents(low: number, high: number): number[] {
  const all: number[] = [];
  for (let e = Math.floor(Math.log10(low)) - 1; e <= Math.ceil(Math.log10(high)); e++) for (const m of [1, 2, 5]) all.push(e + Math.log10(m));
  const first = all.findLastIndex((x) => x <= Math.log10(low));
  const last = all.findIndex((x) => x >= Math.log10(high));
  return all.slice(first, last + 1);
}

function powerOfTenExponents(low: number, high: number, stride: number): number[] {
  const from = Math.floor(Math.log10(low) / stride) * stride;
  const to = Math.ceil(Math.log10(high) / stride) * stride;
  return Array.from({ length: (to - from) / stride + 1 }, (_, k) => from + k * stride);
}

/** 10^exponent written short: plain decimals near 1, powers of ten far from it (1e-5, 2e12). */
function powerLabel(exponent: number): string {
  const power = Math.floor(exponent + 1e-9);
  const mantissa = Math.round(10 ** (exponent - power));
  return power >= -3 && power <= 4 ? String(Number((mantissa * 10 ** power).toFixed(3))) : `${mantissa}e${power}`;
}
