/** Rows of cells as aligned text lines, two spaces apart: numbers right-aligned, the first column left-aligned unless `allRight`. */
export function alignedLines(header: readonly string[], rows: readonly (readonly string[])[], allRight = false): { lines: string[]; widths: number[] } {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 0 && !allRight ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return { lines: [line(header), ...rows.map(line)], widths };
}
