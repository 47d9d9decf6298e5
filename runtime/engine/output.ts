/**
 * Writing results: every table of a run — perf, positions, orders, transactions — in the format
 * the output path's extension names: `-o x.csv` writes `x.csv`, `x_positions.csv`,
 * `x_orders.csv` and `x_transactions.csv`; `.parquet`, `.arrow` (Arrow IPC file) and `.json` (a
 * list of records per file) likewise. `-o -` writes the perf table as CSV to stdout.
 */
import { dirname, extname } from "node:path";
import { InvalidInputError } from "../errors.ts";
import type { Results } from "../metrics/results.ts";
import { arrowFile, arrowTable } from "../metrics/tables/arrow.ts";
import { encodeCsv } from "../metrics/tables/csv.ts";
import { resultTables } from "../metrics/tables/result_tables.ts";
import type { Column, Table } from "../metrics/tables/table.ts";
import { lazyImport } from "../lazy.ts";
import { writeBytes } from "../fs.ts";

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
  Deno.mkdirSync(dirname(out), { recursive: true });
  if (ext === ".json") {
    // One table per file, each a list of records: what `pandas.read_json(path)` reads.
    const doc = results.toJSON();
    Deno.writeTextFileSync(out, recordsJson(doc.perf as unknown[]));
    const written = [out];
    for (const name of ["positions", "orders", "transactions"]) {
      const p = `${base}_${name}.json`;
      Deno.writeTextFileSync(p, recordsJson(doc[name] as unknown[]));
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
      writes.push(writeBytes(f.path, bytes));
    }
    const failed = (await Promise.allSettled(writes)).find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
  return files.map((f) => f.path);
}

/** Whether a text column repeats enough for Parquet's dictionary encoding (symbols, labels). */
function repeats(c: Column, length: number): boolean {
  if (c.kind !== "text") return false;
  const seen = new Set<string | null>(), most = length >> 3;
  for (let i = 0; i < length; i++) {
    seen.add(c.values[i]);
    if (seen.size > most) return false; // ids: every value new
  }
  return true;
}

type ParquetWasm = typeof import("parquet-wasm/bundler");

/**
 * Parquet through the Arrow tables the `.arrow` output writes (counts widened to Int64, as
 * pandas reads them) and parquet-wasm's writer (the Rust `parquet` crate): snappy-compressed as
 * pyarrow and DuckDB write by default, dictionary-encoded only where a text column repeats — on
 * numbers and ids a dictionary is tried and thrown away, at a third of the speed. Each file is
 * written on the runtime's I/O threads while the next table is encoded.
 */
async function writeParquet(files: { path: string; table: Table }[]): Promise<void> {
  const [pq, arrow] = await Promise.all([
    lazyImport<ParquetWasm>("parquet-wasm/bundler"),
    lazyImport<typeof import("apache-arrow")>("apache-arrow"),
  ]);
  const writes: Promise<void>[] = [];
  for (const { path, table } of files) {
    const ipc = arrow.tableToIPC(await arrowTable(table, true), "stream");
    let props = new pq.WriterPropertiesBuilder()
      .setCompression(pq.Compression.SNAPPY)
      .setDictionaryEnabled(false);
    for (const c of table.columns) {
      if (repeats(c, table.length)) props = props.setColumnDictionaryEnabled(c.name, true);
    }
    // Both arguments are consumed by the call (wasm-bindgen moves them).
    writes.push(writeBytes(path, pq.writeParquet(pq.Table.fromIPCStream(ipc), props.build())));
  }
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}
