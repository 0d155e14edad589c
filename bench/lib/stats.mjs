/** Summaries and plain-text tables. */

/** @param {number[]} sorted @param {number} p 0–100 */
function pick(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Percentile with linear interpolation. @param {number[]} values @param {number} p */
export const percentile = (values, p) =>
  pick(
    [...values].sort((a, b) => a - b),
    p,
  );

/**
 * @param {number[]} values
 * @returns {{ median: number, min: number, max: number, n: number, values: number[] }}
 */
export function summarize(values) {
  const clean = values.filter((v) => Number.isFinite(v));
  const sorted = [...clean].sort((a, b) => a - b);
  return { median: pick(sorted, 50), min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN, n: clean.length, values: clean };
}

/** @param {number} value @param {number} [digits] */
export function fmt(value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}

/** @param {number} bytes */
export const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/**
 * ✓ / ✗ beside a figure; '' without a target.
 * @param {number} value @param {number | undefined} limit  pass when value ≤ limit
 */
export const verdict = (value, limit) => (limit === undefined || Number.isNaN(value) ? '' : value <= limit ? '✓' : '✗');

/**
 * Prints rows as an aligned table (first column left-aligned, the rest right-aligned).
 * @param {string} title @param {string[]} header @param {Array<Array<string | number>>} rows
 */
export function printTable(title, header, rows) {
  const cells = [header, ...rows].map((row) => row.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => [...(row[i] ?? '')].length)));
  const line = (row) =>
    row
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] + c.length - [...c].length) : c.padStart(widths[i] + c.length - [...c].length)))
      .join('  ');
  console.log(`\n${title}`);
  console.log(line(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells.slice(1)) console.log(line(row));
}

/**
 * A "median (min–max)" cell.
 * @param {{ median: number, min: number, max: number }} s @param {number} [digits]
 */
export const range = (s, digits = 1) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
