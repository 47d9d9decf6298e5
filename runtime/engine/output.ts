/**
 * Writing results: every table of a run — perf, positions, orders, transactions — in the format
 * the output path's extension names: `-o x.csv` writes `x.csv`, `x_positions.csv`,
 * `x_orders.csv` and `x_transactions.csv`; `.parquet`, `.arrow` (Arrow IPC file) and `.json` (a
 * list of records per file) likewise. `-o -` writes the perf table as CSV to stdout.
 */
import { dirname, extname } from "node:path";
import { InvalidInputError } from "../errors.ts";
import type { Results } from "../metrics/results.ts";
import { resultTables } from "../metrics/tables/result_tables.ts";
import { type TableFile, type TableFormat, writeTables } from "../metrics/tables/write.ts";

const FORMATS = [".csv", ".json", ".parquet", ".arrow"];

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

/** The file of each table of `-o out`: `out` itself for perf, `<base>_<table><ext>` beside it. */
export function outputFiles(
  out: string,
  ext: string,
): Record<"perf" | "positions" | "orders" | "transactions", string> {
  const base = out.slice(0, out.length - ext.length);
  return {
    perf: out,
    positions: `${base}_positions${ext}`,
    orders: `${base}_orders${ext}`,
    transactions: `${base}_transactions${ext}`,
  };
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
  Deno.mkdirSync(dirname(out), { recursive: true });
  const files = tableFiles(results, outputFiles(out, ext));
  await writeTables(files, ext as TableFormat);
  return files.map((f) => f.path);
}

/** The tables of `results` that `paths` names a file for, each with its file. */
export function tableFiles(
  results: Results,
  paths: Partial<Record<"perf" | "positions" | "orders" | "transactions", string>>,
): TableFile[] {
  const tables = resultTables(results);
  return (Object.keys(paths) as (keyof typeof paths)[]).map((name) => ({
    path: paths[name]!,
    table: tables[name],
  }));
}
