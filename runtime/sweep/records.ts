/**
 * Tables of records written as CSV, Parquet or Arrow (chosen by the file's suffix): the sweep
 * table, the stitched out-of-sample record and the folds table all go through here, as typed
 * columns through the same writers as a backtest's results (`metrics/tables`).
 *
 * @module
 */
import { dirname, extname } from "node:path";
import { InvalidInputError } from "../errors.ts";
import { csvString } from "../metrics/tables/csv.ts";
import { cellsType, type Column, type Table } from "../metrics/tables/table.ts";
import { type TableFormat, writeTables } from "../metrics/tables/write.ts";

/** A table: its columns in order, which of them hold text, and its rows. */
export interface RecordTable {
  columns: readonly string[];
  /** Columns kept as text (parameters, dates, errors); the others are numbers. */
  text: readonly string[];
  rows: readonly Record<string, unknown>[];
}

/** The suffixes {@link writeRecords} writes. */
export const TABLE_FORMATS = [".csv", ".parquet", ".arrow"];

/**
 * The records as typed columns: a text column as strings (null where missing), a number column
 * as numbers written as JavaScript prints them (NaN where missing). A number column holding
 * anything else is kept as text, so no value is lost.
 */
export function recordColumns(table: RecordTable): Table {
  const rows = table.rows;
  const columns = table.columns.map((name): Column => {
    const values = rows.map((r) => r[name]);
    if (!table.text.includes(name) && cellsType(values) === "number") {
      const numbers = Float64Array.from(values, (v) => (typeof v === "number" ? v : NaN));
      return { name, kind: "float", style: "plain", values: numbers };
    }
    const text = values.map((v) =>
      v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) ? null : String(v)
    );
    return { name, kind: "text", values: text };
  });
  return { length: rows.length, columns };
}

/**
 * The table as CSV (numbers as JavaScript prints them, so they read back exactly; missing as
 * empty).
 *
 * @example
 * ```ts
 * recordsCsv({ columns: ["a"], text: [], rows: [{ a: 1.5 }] }); // "a\n1.5\n"
 * ```
 */
export function recordsCsv(table: RecordTable): string {
  return csvString(recordColumns(table));
}

/**
 * Writes a table to `out` as CSV, Parquet or Arrow IPC by its suffix.
 *
 * @example
 * ```ts
 * await writeRecords(table, "out/sweep.parquet");
 * ```
 */
export async function writeRecords(table: RecordTable, out: string): Promise<void> {
  const ext = extname(out).toLowerCase();
  if (!TABLE_FORMATS.includes(ext)) {
    throw new InvalidInputError("-o", out, `use a file ending in ${TABLE_FORMATS.join(", ")}`);
  }
  Deno.mkdirSync(dirname(out) || ".", { recursive: true });
  await writeTables([{ path: out, table: recordColumns(table) }], ext as TableFormat);
}
