/**
 * A table made a block of rows at a time into reused arrays, for tables whose rows are worked out
 * from the recorder's chunks (positions, orders, transactions). A 100 × 2,520 run's side tables
 * are 315,000 rows; built whole, their columns took 25 MB of memory the process had never touched
 * — a page fault per 4 KB, 6,300 faults and about 90 ms of a cold `harvester backtest -o`, before a
 * byte was encoded. Written as CSV, JSON, Arrow or Parquet (through an Arrow record batch per
 * block) they are now built BLOCK_ROWS (4,096) rows at a time into the same arrays;
 * `Results.positions` and the like still ask for the whole columns.
 *
 * @module
 */
import type { Column, Table } from "./table.ts";

/** A column's name and kind, and the array that holds its values. */
export type ColumnSpec =
  & (
    | { name: string; kind: "day" | "instant" | "int" }
    | { name: string; kind: "float"; style: "python" | "plain" }
    | { name: string; kind: "bool" }
    | { name: string; kind: "text"; ids?: boolean }
  )
  & { array: "f64" | "u8" | "text" };

/** The arrays a filler writes, one per column, in the specs' order. */
export type BlockArrays = (Float64Array | Uint8Array | (string | null)[])[];

/**
 * Writes rows `from` until `to` into `out` (row `from` at index 0). A filler is called with
 * consecutive ranges starting at row 0, so it can carry state from one block to the next.
 */
export type Filler = (out: BlockArrays, from: number, to: number) => void;

/** Column arrays for blocks of up to `n` rows, and the columns that show them. */
export function blockColumns(
  specs: readonly ColumnSpec[],
  n: number,
): { values: BlockArrays; columns: Column[] } {
  const values = arrays(specs, n);
  return { values, columns: columnsOf(specs, values) };
}

function arrays(specs: readonly ColumnSpec[], n: number): BlockArrays {
  return specs.map((s) =>
    s.array === "f64"
      ? new Float64Array(n)
      : s.array === "u8"
      ? new Uint8Array(n)
      : new Array<string | null>(n)
  );
}

function columnsOf(specs: readonly ColumnSpec[], values: BlockArrays): Column[] {
  return specs.map(({ array: _, ...spec }, j) => ({ ...spec, values: values[j] }) as Column);
}

/**
 * A table of `length` rows whose values `open()` writes: whole on the first read of `columns`
 * (then kept), or a block at a time through `blocks`.
 */
export function blockedTable(
  length: number,
  specs: readonly ColumnSpec[],
  open: () => Filler,
): Table {
  let whole: Column[] | undefined;
  const table: Table = {
    length,
    get columns(): Column[] {
      if (!whole) {
        const values = arrays(specs, length);
        open()(values, 0, length);
        whole = columnsOf(specs, values);
      }
      return whole;
    },
    *blocks(size: number): Generator<Table> {
      if (whole || length <= size) {
        yield table;
        return;
      }
      const { values, columns } = blockColumns(specs, size), fill = open();
      for (let from = 0; from < length; from += size) {
        const to = Math.min(length, from + size);
        fill(values, from, to);
        yield { length: to - from, columns };
      }
    },
  };
  return table;
}
