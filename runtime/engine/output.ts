/**
 * Writing results: every table of a run — perf, positions, orders, transactions — in the format
 * the output path's extension names: `-o x.csv` writes `x.csv`, `x_positions.csv`,
 * `x_orders.csv` and `x_transactions.csv`; `.parquet`, `.arrow` (Arrow IPC file) and `.json` (a
 * list of records per file) likewise. `-o -` writes the perf table as CSV to stdout.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { InvalidInputError } from "../errors.ts";
import type { Results } from "../metrics/results.ts";
import { arrowFile } from "../metrics/tables/arrow.ts";
import { encodeCsv } from "../metrics/tables/csv.ts";
import { resultTables } from "../metrics/tables/result_tables.ts";
import { cellsType, type Column, type Table } from "../metrics/tables/table.ts";
import { lazyImport } from "../lazy.ts";

const FORMATS = [".csv", ".json", ".parquet", ".arrow"];

/** Records, one per line (NaN as null, which pandas reads back as NaN). */
function recordsJson(rows: readonly unknown[]): string {
  return `[${rows.map((r) => JSON.stringify(r)).join(",\n")}]\n`;
}

/**
 * Checks an output path before a run: a format Harvester writes, or `-`. A Python pickle (what
 * zipline's `-o out.pickle` writes) gets what to use instead.
 *
 * @example
 * ```ts
 * checkOutputPath("perf.parquet"); // fine
 * checkOutputPath("perf.pickle"); // InvalidInputError: … use -o perf.parquet …
 * ```
 */
export function checkOutputPath(out: string): void {
  if (out === "-") return;
  const ext = extname(out).toLowerCase();
  if (ext === ".pickle" || ext === ".pkl") {
    const base = out.slice(0, out.length - ext.length);
    throw new InvalidInputError(
      "-o",
      out,
      `Harvester does not write Python pickles; use -o ${base}.parquet (pandas.read_parquet), ` +
        `${base}.csv (pandas.read_csv) or ${base}.json (pandas.read_json), or --pyfolio DIR for pyfolio`,
    );
  }
  if (!FORMATS.includes(ext)) {
    throw new InvalidInputError(
      "-o",
      out,
      `use a file ending in ${FORMATS.join(", ")} or - for stdout`,
    );
  }
}

/** Writes the results to `out` ("-" for CSV on stdout); returns the files written. */
export async function writeResults(
  results: Results,
  out: string,
  stdout: (t: string) => void,
): Promise<string[]> {
  if (out === "-") {
    stdout(results.toCSV());
    return [];
  }
  checkOutputPath(out);
  const ext = extname(out).toLowerCase();
  const base = out.slice(0, out.length - ext.length);
  mkdirSync(dirname(out), { recursive: true });
  if (ext === ".json") {
    // One table per file, each a list of records: what `pandas.read_json(path)` reads.
    const doc = results.toJSON();
    writeFileSync(out, recordsJson(doc.perf as unknown[]));
    const written = [out];
    for (const name of ["positions", "orders", "transactions"]) {
      const p = `${base}_${name}.json`;
      writeFileSync(p, recordsJson(doc[name] as unknown[]));
      written.push(p);
    }
    return written;
  }
  const tables = resultTables(results);
  const files = Object.entries(tables).map(([name, table]) => ({
    path: name === "perf" ? out : `${base}_${name}${ext}`,
    table,
  }));
  if (ext === ".parquet") await writeParquet(files);
  else {
    // Each file is written on the runtime's I/O threads while the next table is encoded.
    const writes: Promise<void>[] = [];
    for (const f of files) {
      const bytes = ext === ".csv" ? encodeCsv(f.table) : await arrowFile(f.table);
      writes.push(writeFile(f.path, bytes));
    }
    const failed = (await Promise.allSettled(writes)).find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
  return files.map((f) => f.path);
}

/** DuckDB's type for a column, so Parquet keeps dates, timestamps, counts and flags typed. */
function duckType(c: Column, length: number): string {
  switch (c.kind) {
    case "day":
      return "DATE";
    case "instant":
      return "TIMESTAMPTZ";
    case "int":
      return "BIGINT";
    case "float":
      return "DOUBLE";
    case "bool":
      return "BOOLEAN";
    case "text":
      return "VARCHAR";
    default:
      return { number: "DOUBLE", boolean: "BOOLEAN", text: "VARCHAR" }[cellsType(c.values, length)];
  }
}

/**
 * Parquet through DuckDB's writer: each table goes out as CSV (the fast encoder) and DuckDB reads
 * it back with the column types given (no sniffing) and writes Parquet. DuckDB works on its own
 * threads, so one table's Parquet is written while the next table's CSV is encoded.
 */
async function writeParquet(files: { path: string; table: Table }[]): Promise<void> {
  const { openDb, sqlString } = await lazyImport<typeof import("../../bundles/store/duckdb.ts")>(
    new URL("../../bundles/store/duckdb.ts", import.meta.url),
  );
  const db = await openDb(":memory:");
  const tmps: string[] = [];
  const copies: Promise<unknown>[] = [];
  try {
    for (const { path, table } of files) {
      const tmp = `${path}.${Deno.pid}.tmp.csv`;
      tmps.push(tmp);
      writeFileSync(tmp, encodeCsv(table));
      const columns = table.columns.map((c) =>
        `${sqlString(c.name)}: ${sqlString(duckType(c, table.length))}`
      );
      const conn = await db.instance.connect();
      copies.push(
        conn.run(
          `COPY (SELECT * FROM read_csv(${sqlString(tmp)}, header = true, auto_detect = false, ` +
            `delim = ',', quote = '"', escape = '"', columns = {${columns.join(", ")}})) ` +
            `TO ${sqlString(path)} (FORMAT parquet)`,
        ).finally(() => conn.closeSync()),
      );
    }
    await Promise.all(copies);
  } finally {
    await Promise.allSettled(copies);
    for (const tmp of tmps) rmSync(tmp, { force: true });
    db.close();
  }
}
