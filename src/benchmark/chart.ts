/**
 * The speedup chart of `netsat bench`: a standalone SVG document of grouped bars, one group per
 * model (left to right in first-seen order), one bar per strategy (one colour each, in a legend),
 * growing up or down from a reference line at 1.0x (no change). A cell without a value is a small
 * dashed box whose tooltip says why. The layout is computed from estimated text widths so that no
 * two labels overlap, however many models and however long their names: group labels turn 45
 * degrees when they do not fit under their group, and the chart widens rather than crowds.
 * A pure function: the same bars give the same bytes.
 */
import { NetsatError } from '../errors.js';
import { type ChartScale, chooseScale } from './chart-scale.js';
import { escapeXml, shorten, textWidth } from './chart-text.js';

/** One cell of the matrix: a model (group) run with a strategy (series). */
export interface ChartBar {
  readonly group: string;
  readonly series: string;
  /** Speedup, x-fold; undefined when the cell has no result (then `note` says why). */
  readonly value: number | undefined;
  /** Spread of the measured speedups, drawn as a whisker. */
  readonly low?: number;
  readonly high?: number;
  readonly note?: string;
}

export interface SpeedupChartOptions {
  readonly title?: string;
  /** What the value axis shows, e.g. "measured speedup (x)" or "predicted speedup (x)". */
  readonly valueLabel?: string;
}

/** Okabe and Ito's colours, distinguishable with every common colour-vision deficiency. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442'];
const FONT = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";
const INK = '#222';
const MUTED = '#666';

const REFERENCE_LABEL = '1x = no change';
const MARGIN = 16;
const TITLE_FONT = 16;
const LABEL_FONT = 12;
const TICK_FONT = 11;
const VALUE_FONT = 10;
const BAR_WIDTH = 14;
const BAR_GAP = 2;
const GROUP_PAD = 18;
const PLOT_HEIGHT = 300;
/** How much wider than its bars a group may grow to keep its label level, and the room a level label leaves. */
const MAX_WIDENING = 1.5;
const LEVEL_LABEL_PAD = 8;
/** Room kept above and below the value range, so a gap mark on a 1.0x line at either end stays inside. */
const EDGE_ROOM = BAR_WIDTH / 2 + 4;
/** Between the end of a bar or whisker and its value label. */
const VALUE_LABEL_GAP = 4;
const LEGEND_ROW = 20;
const SWATCH = 12;
/** Labels longer than this are cut, with the full name in a tooltip. */
const MAX_NAME_CHARS = 40;
/** The rotated group labels' angle: sin and cos of 45 degrees. */
const DIAGONAL = Math.SQRT1_2;
/** Share of the font size above the baseline, and the shift that centres a line of text on a point. */
const ASCENT = 0.95;
const CENTRE_SHIFT = 0.35;

interface Cell {
  readonly bar: ChartBar | undefined;
  readonly group: number;
  readonly series: number;
}

interface Layout {
  readonly groups: readonly string[];
  readonly series: readonly string[];
  readonly scale: ChartScale;
  readonly width: number;
  readonly height: number;
  readonly plotLeft: number;
  readonly plotTop: number;
  readonly groupWidth: number;
  /** Top and bottom of the band that holds bars and their value labels. */
  readonly bandTop: number;
  readonly axisY: number;
  readonly rotateLabels: boolean;
  readonly legendTop: number;
}

/** The speedup chart of `bars` as a standalone SVG document. Throws NetsatError on a value that is not a positive finite number. */
export function speedupChart(bars: readonly ChartBar[], options: SpeedupChartOptions = {}): string {
  bars.forEach(checkBar);
  const groups = firstSeen(bars.map((b) => b.group));
  const series = firstSeen(bars.map((b) => b.series));
  const cells = matrix(bars, groups, series);
  const layout = computeLayout(cells, groups, series, options);
  const valueLabel = options.valueLabel ?? 'speedup (x)';
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${escapeXml(FONT)}" fill="${INK}">`,
    `<title>${escapeXml(options.title ?? valueLabel)}</title>`,
    `<rect width="${layout.width}" height="${layout.height}" fill="#fff"/>`,
    ...patterns(series.length),
    ...header(layout, cells, options.title),
    ...axis(layout, valueLabel),
    ...cells.map((c) => cell(layout, c)),
    ...groupLabels(layout),
    '</svg>',
    '',
  ].join('\n');
}

function cellName(bar: ChartBar): string {
  return `model '${bar.group}', strategy '${bar.series}'`;
}

function checkBar(bar: ChartBar): void {
  const where = cellName(bar);
  for (const key of ['value', 'low', 'high'] as const) {
    const v = bar[key];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
      throw new NetsatError(`speedup chart: ${key} ${v} is not a positive finite number`, {
        where,
        hint: 'a speedup is a ratio of two positive times; for a cell without a result, leave value undefined and say why in note',
      });
    }
  }
  if (bar.low !== undefined && bar.high !== undefined && bar.low > bar.high) {
    throw new NetsatError(`speedup chart: low ${bar.low} is above high ${bar.high}`, { where, hint: 'low and high are the smallest and largest measured speedups' });
  }
}

function firstSeen(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** Every (group, series) pair in drawing order, with its bar if one was given. */
function matrix(bars: readonly ChartBar[], groups: readonly string[], series: readonly string[]): Cell[] {
  const byKey = new Map<string, ChartBar>();
  for (const bar of bars) {
    const key = JSON.stringify([bar.group, bar.series]);
    if (byKey.has(key)) {
      throw new NetsatError('speedup chart: two bars for one cell', { where: cellName(bar), hint: 'give each model and strategy one bar' });
    }
    byKey.set(key, bar);
  }
  return groups.flatMap((g, group) => series.map((s, index) => ({ bar: byKey.get(JSON.stringify([g, s])), group, series: index })));
}

function computeLayout(cells: readonly Cell[], groups: readonly string[], series: readonly string[], options: SpeedupChartOptions): Layout {
  const drawn = cells.flatMap((c) => (c.bar?.value === undefined ? [] : [c.bar]));
  const scale = chooseScale(drawn.flatMap((b) => [b.value!, b.low ?? b.value!, b.high ?? b.value!]));
  const columns = layoutColumns(groups, series.length, scale);
  const legend = legendItems(cells, series);
  const chartWidth = columns.plotLeft + groups.length * columns.groupWidth + 8 + textWidth(REFERENCE_LABEL, TICK_FONT) + MARGIN;
  const titleWidth = options.title === undefined ? 0 : textWidth(shorten(options.title, 2 * MAX_NAME_CHARS), TITLE_FONT) + 2 * MARGIN;
  const width = Math.max(chartWidth, titleWidth, ...legend.map((i) => i.width + 2 * MARGIN));
  const legendTop = MARGIN + (options.title === undefined ? 0 : TITLE_FONT + 10);
  const bandTop = legendTop + legendLayout(legend, width).rows * LEGEND_ROW + 8;
  const plotTop = bandTop + labelRoom(drawn.filter((b) => b.value! >= 1));
  const axisY = plotTop + PLOT_HEIGHT + labelRoom(drawn.filter((b) => b.value! < 1));
  const height = Math.ceil(axisY + 8 + columns.labelsHeight + MARGIN);
  return { groups, series, scale, width, height, plotTop, bandTop, axisY, legendTop, ...columns };
}

/**
 * Group width, label direction and the plot's left edge: groups widen a little to keep their labels
 * level, beyond that the labels turn, and the plot moves right until the first turned label clears
 * the left margin.
 */
function layoutColumns(groups: readonly string[], seriesCount: number, scale: ChartScale) {
  const labelWidths = groups.map((g) => textWidth(shorten(g, MAX_NAME_CHARS), LABEL_FONT));
  const longestLabel = Math.max(0, ...labelWidths);
  const barsOnly = barsWidth(seriesCount) + GROUP_PAD;
  const levelWidth = longestLabel + LEVEL_LABEL_PAD;
  const groupWidth = levelWidth <= barsOnly * MAX_WIDENING ? Math.max(barsOnly, levelWidth) : barsOnly;
  const rotateLabels = levelWidth > groupWidth;
  const tickWidth = Math.max(...scale.ticks.map((t) => textWidth(t.label, TICK_FONT)));
  // A turned label reaches left of its group's centre by its length's horizontal part plus its thickness.
  const labelReach = rotateLabels ? Math.max(...labelWidths.map((w, i) => (w + LABEL_FONT) * DIAGONAL - (i + 0.5) * groupWidth)) : 0;
  const plotLeft = Math.ceil(Math.max(MARGIN + 2 * LABEL_FONT + 2 + 8 + tickWidth + 8, MARGIN + labelReach));
  const labelsHeight = rotateLabels ? (longestLabel + LABEL_FONT) * DIAGONAL + LABEL_FONT : LABEL_FONT + 8;
  return { groupWidth, rotateLabels, plotLeft, labelsHeight };
}

/** The room past the value range that these bars' value labels need (they stand past the range's end at most). */
function labelRoom(bars: readonly ChartBar[]): number {
  return Math.max(EDGE_ROOM, ...bars.map((b) => textWidth(valueText(b.value!), VALUE_FONT) + VALUE_LABEL_GAP + 2));
}

/** The vertical position of a value. */
function yOf(layout: Layout, value: number): number {
  return layout.plotTop + PLOT_HEIGHT * (1 - layout.scale.fraction(value));
}

function plotRight(layout: Layout): number {
  return layout.plotLeft + layout.groups.length * layout.groupWidth;
}

/** Series past the palette's length are told apart by hatching, at a different angle each round. */
function seriesFill(index: number): string {
  return index < PALETTE.length ? PALETTE[index]! : `url(#hatch-${index})`;
}

function patterns(seriesCount: number): string[] {
  const defs: string[] = [];
  for (let i = PALETTE.length; i < seriesCount; i++) {
    const angle = (Math.floor(i / PALETTE.length) * 45) % 180;
    defs.push(
      `<pattern id="hatch-${i}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})"><rect width="6" height="6" fill="${PALETTE[i % PALETTE.length]}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern>`,
    );
  }
  return defs.length === 0 ? [] : ['<defs>', ...defs, '</defs>'];
}

interface LegendItem {
  readonly svg: (x: number, y: number) => string;
  readonly width: number;
}

function legendItems(cells: readonly Cell[], series: readonly string[]): LegendItem[] {
  const item = (name: string, swatch: (x: number, y: number) => string): LegendItem => {
    const shown = shorten(name, MAX_NAME_CHARS);
    return {
      width: SWATCH + 6 + textWidth(shown, LABEL_FONT) + 18,
      svg: (x, y) =>
        `<g class="legend-item"><title>${escapeXml(name)}</title>${swatch(x, y)}<text x="${x + SWATCH + 6}" y="${px(y + SWATCH / 2 + CENTRE_SHIFT * LABEL_FONT)}" font-size="${LABEL_FONT}">${escapeXml(shown)}</text></g>`,
    };
  };
  const items = series.map((name, i) =>
    item(name, (x, y) => `<rect x="${x}" y="${y}" width="${SWATCH}" height="${SWATCH}" fill="${seriesFill(i)}" stroke="${INK}" stroke-width="0.5"/>`),
  );
  const hasGap = cells.some((c) => c.bar?.value === undefined);
  return hasGap ? [...items, item('no result (hover for why)', (x, y) => gapMark(x, y, SWATCH, SWATCH))] : items;
}

/** Items left to right, wrapping onto a new row when the next would pass the right margin. */
function legendLayout(items: readonly LegendItem[], width: number): { rows: number; at: { x: number; row: number }[] } {
  let x = MARGIN;
  let row = 0;
  const at = items.map((item) => {
    if (x > MARGIN && x + item.width > width - MARGIN) {
      row += 1;
      x = MARGIN;
    }
    const place = { x, row };
    x += item.width;
    return place;
  });
  return { rows: items.length === 0 ? 0 : row + 1, at };
}

function header(layout: Layout, cells: readonly Cell[], title: string | undefined): string[] {
  const lines: string[] = [];
  if (title !== undefined) {
    lines.push(
      `<text class="title" x="${MARGIN}" y="${MARGIN + TITLE_FONT * ASCENT}" font-size="${TITLE_FONT}" font-weight="bold">${escapeXml(shorten(title, 2 * MAX_NAME_CHARS))}</text>`,
    );
  }
  const items = legendItems(cells, layout.series);
  const { at } = legendLayout(items, layout.width);
  items.forEach((item, i) => lines.push(item.svg(at[i]!.x, layout.legendTop + at[i]!.row * LEGEND_ROW)));
  return lines;
}

/** Alternate group shading, grid lines with tick labels, the axis title, and the 1.0x reference line. */
function axis(layout: Layout, valueLabel: string): string[] {
  const { plotLeft, bandTop, axisY, groupWidth } = layout;
  const right = plotRight(layout);
  const lines: string[] = [];
  for (let g = 1; g < layout.groups.length; g += 2) {
    lines.push(`<rect x="${plotLeft + g * groupWidth}" y="${bandTop}" width="${groupWidth}" height="${axisY - bandTop}" fill="#f3f3f3"/>`);
  }
  for (const tick of layout.scale.ticks) {
    const y = layout.plotTop + PLOT_HEIGHT * (1 - tick.fraction);
    lines.push(`<line x1="${plotLeft}" y1="${px(y)}" x2="${right}" y2="${px(y)}" stroke="#ddd"/>`);
    lines.push(
      `<text class="tick" x="${plotLeft - 6}" y="${px(y + CENTRE_SHIFT * TICK_FONT)}" font-size="${TICK_FONT}" text-anchor="end" fill="${MUTED}">${escapeXml(tick.label)}</text>`,
    );
  }
  lines.push(...axisTitle(layout, valueLabel));
  lines.push(`<line x1="${plotLeft}" y1="${bandTop}" x2="${plotLeft}" y2="${axisY}" stroke="${MUTED}"/>`);
  lines.push(`<line x1="${plotLeft}" y1="${axisY}" x2="${right}" y2="${axisY}" stroke="${MUTED}"/>`);
  const one = yOf(layout, 1);
  lines.push(`<line class="reference" x1="${plotLeft}" y1="${px(one)}" x2="${right}" y2="${px(one)}" stroke="${INK}" stroke-width="1.5" stroke-dasharray="6 3"/>`);
  lines.push(`<text class="reference-label" x="${right + 8}" y="${px(one + CENTRE_SHIFT * TICK_FONT)}" font-size="${TICK_FONT}">${REFERENCE_LABEL}</text>`);
  return lines;
}

/** The value label and, on a second line, which scale: turned to read upwards, centred on the plot. */
function axisTitle(layout: Layout, valueLabel: string): string[] {
  const middle = px(layout.plotTop + PLOT_HEIGHT / 2);
  const line = (index: number, content: string) => {
    const x = px(MARGIN + LABEL_FONT * ASCENT + index * (LABEL_FONT + 2));
    return `<text class="axis-title" x="${x}" y="${middle}" font-size="${LABEL_FONT}" text-anchor="middle" transform="rotate(-90 ${x} ${middle})">${content}</text>`;
  };
  return [line(0, `<title>${escapeXml(valueLabel)}</title>${escapeXml(shorten(valueLabel, MAX_NAME_CHARS))}`), line(1, `${layout.scale.kind} scale`)];
}

function barsWidth(seriesCount: number): number {
  return Math.max(1, seriesCount) * (BAR_WIDTH + BAR_GAP) - BAR_GAP;
}

/** The left edge of a cell's bar: the group's bars side by side, centred in the group. */
function barX(layout: Layout, c: Cell): number {
  const inset = (layout.groupWidth - barsWidth(layout.series.length)) / 2;
  return layout.plotLeft + c.group * layout.groupWidth + inset + c.series * (BAR_WIDTH + BAR_GAP);
}

/** One cell: a bar from the 1.0x line with its whisker and value label, or a marked gap. */
function cell(layout: Layout, c: Cell): string {
  const x = barX(layout, c);
  const name = `${layout.groups[c.group]} · ${layout.series[c.series]}`;
  const bar = c.bar;
  const one = yOf(layout, 1);
  if (bar?.value === undefined) {
    return `<g class="gap"><title>${escapeXml(`${name}: ${bar === undefined ? 'not run' : (bar.note ?? 'no result')}`)}</title>${gapMark(x, one - BAR_WIDTH / 2, BAR_WIDTH, BAR_WIDTH)}</g>`;
  }
  const value = bar.value;
  const end = yOf(layout, value);
  // A bar of no length still shows, as a 2-pixel line on the reference.
  const length = Math.max(Math.abs(end - one), 2);
  const top = value >= 1 ? one - length : one;
  const spread = bar.low === undefined && bar.high === undefined ? '' : ` (measured ${valueText(bar.low ?? value)} to ${valueText(bar.high ?? value)})`;
  const parts = [
    `<g class="bar"><title>${escapeXml(`${name}: ${valueText(value)}${spread}`)}</title>`,
    `<rect x="${px(x)}" y="${px(top)}" width="${BAR_WIDTH}" height="${px(length)}" fill="${seriesFill(c.series)}" stroke="${INK}" stroke-width="0.5"/>`,
  ];
  const highY = yOf(layout, bar.high ?? value);
  const lowY = yOf(layout, bar.low ?? value);
  if (spread !== '') parts.push(whisker(x + BAR_WIDTH / 2, highY, lowY));
  parts.push(valueLabel(x + BAR_WIDTH / 2, value >= 1 ? Math.min(top, highY) : Math.max(top + length, lowY), value));
  parts.push('</g>');
  return parts.join('');
}

function whisker(x: number, top: number, bottom: number): string {
  const cap = (y: number) => `M${px(x - 3)} ${px(y)}H${px(x + 3)}`;
  return `<path d="M${px(x)} ${px(top)}V${px(bottom)}${cap(top)}${cap(bottom)}" stroke="${INK}" stroke-width="1.2" fill="none"/>`;
}

/**
 * The value, turned to read upwards, past the end of the bar or whisker: above a speedup, below a
 * slowdown. The layout reserves that room above and below the plot, so every label fits.
 */
function valueLabel(centre: number, end: number, value: number): string {
  const x = px(centre + CENTRE_SHIFT * VALUE_FONT);
  const up = value >= 1;
  const y = px(up ? end - VALUE_LABEL_GAP : end + VALUE_LABEL_GAP);
  return `<text class="value" x="${x}" y="${y}" font-size="${VALUE_FONT}" text-anchor="${up ? 'start' : 'end'}" transform="rotate(-90 ${x} ${y})">${valueText(value)}</text>`;
}

/** A dashed box with a cross: no result here. */
function gapMark(x: number, y: number, w: number, h: number): string {
  const inset = 3;
  const [left, right, top, bottom] = [px(x + inset), px(x + w - inset), px(y + inset), px(y + h - inset)];
  return `<rect x="${px(x)}" y="${px(y)}" width="${w}" height="${h}" fill="#fff" stroke="${MUTED}" stroke-dasharray="2 2"/><path d="M${left} ${top}L${right} ${bottom}M${right} ${top}L${left} ${bottom}" stroke="${MUTED}" stroke-width="1.2"/>`;
}

/** Group names under their groups: level when every one fits its group's width, else at 45 degrees. */
function groupLabels(layout: Layout): string[] {
  return layout.groups.map((name, i) => {
    const centre = px(layout.plotLeft + (i + 0.5) * layout.groupWidth);
    const shown = escapeXml(shorten(name, MAX_NAME_CHARS));
    const tooltip = `<title>${escapeXml(name)}</title>`;
    if (!layout.rotateLabels) {
      return `<text class="group-label" x="${centre}" y="${layout.axisY + 8 + LABEL_FONT * ASCENT}" font-size="${LABEL_FONT}" text-anchor="middle">${tooltip}${shown}</text>`;
    }
    // Anchored at its end below the group, so the text runs down and to the left, clear of the axis.
    const y = px(layout.axisY + 8 + LABEL_FONT * ASCENT * DIAGONAL);
    return `<text class="group-label" x="${centre}" y="${y}" font-size="${LABEL_FONT}" text-anchor="end" transform="rotate(-45 ${centre} ${y})">${tooltip}${shown}</text>`;
  });
}

/** A speedup in at most three significant digits, exponent form far from 1. */
function valueText(value: number): string {
  if (value >= 1e4 || value < 0.01) return `${value.toExponential(1)}x`;
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)}x`;
}

/** A coordinate with two decimals at most, the same bytes on every run. */
function px(n: number): string {
  return String(Math.round(n * 100) / 100);
}
