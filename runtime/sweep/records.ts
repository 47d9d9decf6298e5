/**
 * Tables of records written as CSV, Parquet or Arrow (chosen by the file's suffix): the sweep
 * table, the stitched out-of-sample record and the folds table all go through here.
 *
 * @module
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname } from "node:path";
import { InvalidInputError } from "../errors.ts";
import { lazyImport } from "../lazy.ts";

/** A table: its columns in order, which of them hold text, and its rows. */
export interface RecordTable {
  columns: readonly string[];
  /** Columns kept as text (parameters, dates, errors); the others are numbers. */
  text: readonly string[];
  rows: readonly Record<string, unknown>[];
}

/** The suffixes {@link writeRecords} writes. */
export const TABLE_FORMATS = [".csv", ".parquet", ".arrow"];

function csvCell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
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
  const lines = [table.columns.map(csvCell).join(",")];
  for (const r of table.rows) lines.push(table.columns.map((c) => csvCell(r[c])).join(","));
  return lines.join("\n") + "\n";
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
  mkdirSync(dirname(out) || ".", { recursive: true });
  const csv = recordsCsv(table);
  if (ext === ".csv") return writeFileSync(out, csv);
  if (ext === ".arrow") {
    const arrow = await lazyImport<typeof import("apache-arrow")>("apache-arrow");
    const columns: Record<string, import("apache-arrow").Vector> = {};
    for (const c of table.columns) {
      const values = table.rows.map((r) => r[c]);
      columns[c] = table.text.includes(c)
        ? arrow.vectorFromArray(
          values.map((v) => (v === null || v === undefined ? null : String(v))),
          new arrow.Utf8(),
        )
        : arrow.vectorFromArray(
          values.map((v) => (typeof v === "number" && !Number.isNaN(v) ? v : null)),
          new arrow.Float64(),
        );
    }
    writeFileSync(out, arrow.tableToIPC(new arrow.Table(columns), "file"));
    return;
  }
  // Parquet through DuckDB's writer, text columns typed as text.
  const { openDb, sqlString } = await lazyImport<typeof import("../../bundles/store/duckdb.ts")>(
    new URL("../../bundles/store/duckdb.ts", import.meta.url),
  );
  const tmp = `${out}.${Deno.pid}.tmp.csv`;
  writeFileSync(tmp, csv);
  const db = await openDb(":memory:");
  try {
    const types = table.text.filter((c) => table.columns.includes(c))
      .map((c) => `${sqlString(c)}: 'VARCHAR'`).join(", ");
    await db.conn.run(
      `COPY (SELECT * FROM read_csv(${sqlString(tmp)}, header = true${
        types ? `, types = {${types}}` : ""
      })) TO ${sqlString(out)} (FORMAT parquet)`,
    );
  } finally {
    db.close();
    rmSync(tmp, { force: true });
  }
}
