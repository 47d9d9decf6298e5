/**
 * Labels of a Series or Frame (UTC-ms timestamps, assets, column names): lookup, zero-copy
 * slicing, display and Arrow conversion. A Float64Array index is read as UTC epoch ms.
 */

import type * as ArrowModule from "apache-arrow";
import type { Data, Table, Vector } from "apache-arrow";
import { HarvesterError } from "../errors.ts";
import { lazyImport } from "../lazy.ts";

/** A label asked for that is not in the index (or columns). */
export class KeyNotFoundError extends HarvesterError {
  override name = "KeyNotFoundError";
  constructor(readonly key: unknown, readonly where: string) {
    super(`${where}: no label ${String(key)}; check it is in the window (see has() and get())`);
  }
}

/** A position outside `-length..length-1`. */
export class PositionOutOfRangeError extends HarvesterError {
  override name = "PositionOutOfRangeError";
  constructor(readonly position: number, readonly length: number) {
    super(`position ${position} is out of range for length ${length}; use at() for undefined`);
  }
}

/** Values and labels (or two operands) whose lengths differ. */
export class LengthMismatchError extends HarvesterError {
  override name = "LengthMismatchError";
  constructor(readonly what: string, readonly expected: number, readonly actual: number) {
    super(`${what}: expected length ${expected}, got ${actual}`);
  }
}

/** What a label is matched by: the number for Dates and assets (numeric `valueOf`), else itself. */
export function keyOf(label: unknown): unknown {
  if (typeof label === "object" && label !== null) {
    const v = (label as { valueOf(): unknown }).valueOf();
    return typeof v === "number" ? v : label;
  }
  return label;
}

/** Finds positions of labels: a scan for short indexes, a lazily built map for long ones. */
export class LabelLookup {
  #map?: Map<unknown, number>;
  /** With distinct labels: where the next label read in order is (a loop over the columns). */
  #next = 0;
  /** `distinct`: no label repeats, so the label at the cursor is the only match. */
  constructor(private readonly labels: ArrayLike<unknown>, private readonly distinct = false) {}

  /** Position of the first label matching `key` by identity or `keyOf`, or -1. */
  position(key: unknown): number {
    const labels = this.labels;
    if (this.distinct) {
      const i = this.#next;
      if (i < labels.length && labels[i] === key) {
        this.#next = i + 1;
        return i;
      }
    }
    const k = keyOf(key);
    if (labels.length <= 16) {
      for (let i = 0; i < labels.length; i++) {
        if (labels[i] === key || keyOf(labels[i]) === k) return i;
      }
      return -1;
    }
    if (!this.#map) {
      this.#map = new Map();
      for (let i = labels.length - 1; i >= 0; i--) this.#map.set(keyOf(labels[i]), i);
    }
    return this.#map.get(k) ?? -1;
  }
}

/** Labels `start..end` as a view when the index is a typed array, else a shallow copy. */
export function sliceLabels<K>(index: ArrayLike<K>, start: number, end: number): ArrayLike<K> {
  if (ArrayBuffer.isView(index)) {
    return (index as unknown as { subarray(a: number, b: number): ArrayLike<K> }).subarray(
      start,
      end,
    );
  }
  return Array.prototype.slice.call(index, start, end) as K[];
}

/** Labels at `positions`, keeping a Float64Array index a Float64Array. */
export function takeLabels<K>(index: ArrayLike<K>, positions: ArrayLike<number>): ArrayLike<K> {
  if (index instanceof Float64Array) {
    const out = new Float64Array(positions.length);
    for (let i = 0; i < positions.length; i++) out[i] = index[positions[i]];
    return out as unknown as ArrayLike<K>;
  }
  return Array.from(positions, (p) => index[p]);
}

/** Display strings of labels: dates (or UTC date-times) for a Float64Array index. */
export function formatLabels(index: ArrayLike<unknown>, positions: number[]): string[] {
  if (!(index instanceof Float64Array)) return positions.map((p) => String(index[p]));
  const daily = positions.every((p) => index[p] % 86_400_000 === 0 || index[p] !== index[p]);
  return positions.map((p) => {
    const t = index[p];
    if (t !== t) return "NaT";
    const iso = new Date(t).toISOString();
    return daily ? iso.slice(0, 10) : `${iso.slice(0, 19).replace("T", " ")}+00:00`;
  });
}

/** Positions to print, with -1 for the "..." row, pandas-style (first/last 5 beyond 60 rows). */
export function displayPositions(n: number, max = 60, edge = 5): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return [
    ...Array.from({ length: edge }, (_, i) => i),
    -1,
    ...Array.from({ length: edge }, (_, i) => n - edge + i),
  ];
}

/** Formats one column's numbers with the fewest decimals (1 to 6) that show them all. */
export function formatValues(values: ArrayLike<number>, positions: number[]): string[] {
  let decimals = 1;
  for (const p of positions) {
    const v = values[p];
    if (p < 0 || !Number.isFinite(v) || Math.abs(v) >= 1e16) continue;
    const frac = v.toFixed(6).split(".")[1].replace(/0+$/, "");
    decimals = Math.max(decimals, frac.length);
  }
  return positions.map((p) => {
    if (p < 0) return "...";
    const v = values[p];
    if (v !== v) return "NaN";
    return Math.abs(v) >= 1e16 ? v.toExponential(6) : v.toFixed(decimals);
  });
}

/** Lays out text cells as right-aligned columns; the first column is left-aligned labels. */
export function renderColumns(columns: string[][]): string {
  const widths = columns.map((c) => Math.max(...c.map((s) => s.length)));
  const rows = columns[0].length;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = columns.map((c, j) =>
      j === 0 ? c[r].padEnd(widths[j]) : c[r].padStart(widths[j])
    );
    lines.push(cells.join("    ").trimEnd());
  }
  return lines.join("\n");
}

type Arrow = typeof ArrowModule;

/** Float64 Arrow data over `values` without copying them; NaN becomes null (as pyarrow does). */
function float64Data(arrow: Arrow, values: Float64Array): Data {
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) nullCount++;
  const nullBitmap = nullCount
    ? validity(values.length, (i) => values[i] === values[i])
    : undefined;
  return arrow.makeData({
    type: new arrow.Float64(),
    length: values.length,
    nullCount,
    data: values,
    nullBitmap,
  });
}

function validity(length: number, valid: (i: number) => boolean): Uint8Array {
  const bits = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) if (valid(i)) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}

/** Arrow vector data of an index: timestamps (ms, UTC) for a Float64Array, else strings. */
function labelData(arrow: Arrow, index: ArrayLike<unknown>): Data {
  if (index instanceof Float64Array) {
    const data = BigInt64Array.from(index, (t) => t === t ? BigInt(Math.round(t)) : 0n);
    const nullCount = index.length -
      Array.prototype.filter.call(index, (t: number) => t === t).length;
    const nullBitmap = nullCount ? validity(index.length, (i) => index[i] === index[i]) : undefined;
    const type = new arrow.TimestampMillisecond("UTC");
    return arrow.makeData({ type, length: index.length, nullCount, data, nullBitmap });
  }
  const all = Array.from(index);
  if (all.every((v) => typeof v === "number")) {
    return float64Data(arrow, Float64Array.from(all as number[]));
  }
  return arrow.vectorFromArray(all.map(String), new arrow.Utf8()).data[0];
}

/**
 * An Arrow table with an `index` column and one Float64 column per entry of `columns`,
 * importing `apache-arrow` on first use. Float columns share the Series' buffers.
 */
export async function arrowTable(
  index: ArrayLike<unknown>,
  columns: [string, Float64Array][],
): Promise<Table> {
  const arrow = await lazyImport<typeof ArrowModule>("apache-arrow");
  const vectors: Record<string, Vector> = {
    index: arrow.makeVector(labelData(arrow, index)),
  };
  for (const [name, values] of columns) {
    vectors[name] = arrow.makeVector(float64Data(arrow, values));
  }
  return new arrow.Table(vectors);
}
