/**
 * Writing results: the perf table as CSV, JSON, Parquet or Arrow IPC (chosen by extension), or
 * CSV to stdout with `-o -`. Positions, orders and transactions go beside a file output as
 * `<name>_positions.csv` and so on (`<name>_positions.json`, a list of records, for JSON).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname } from "node:path";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { InvalidInputError } from "../errors.ts";
import type { Results } from "../metrics/results.ts";
import { isoInstant } from "../metrics/results.ts";

const FORMATS = [".csv", ".json", ".parquet", ".arrow"];

function tableCsv(rows: readonly Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
    if (typeof v === "boolean") return v ? "True" : "False";
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join(
    "\n",
  ) + "\n";
}

/** Records, one per line (NaN as null, which pandas reads back as NaN). */
function recordsJson(rows: readonly unknown[]): string {
  return `[${rows.map((r) => JSON.stringify(r)).join(",\n")}]\n`;
}

/** The side tables as CSV texts, dates formatted. */
export function sideTables(
  results: Results,
): Record<"positions" | "orders" | "transactions", string> {
  const day = (ms: number) => isoDate(ms / DAY_MS);
  return {
    positions: tableCsv(results.positions.map((p) => ({ ...p, date: day(p.date) })), [
      "date",
      "sid",
      "symbol",
      "amount",
      "cost_basis",
      "last_sale_price",
    ]),
    orders: tableCsv(
      results.orders.map((o) => ({
        ...o,
        date: day(o.date),
        created: isoInstant(o.created),
        dt: isoInstant(o.dt),
      })),
      [
        "date",
        "order_id",
        "created",
        "dt",
        "sid",
        "symbol",
        "amount",
        "filled",
        "commission",
        "status",
        "limit",
        "stop",
        "limit_reached",
        "stop_reached",
        "reason",
      ],
    ),
    transactions: tableCsv(
      results.transactions.map((t) => ({ ...t, date: day(t.date), dt: isoInstant(t.dt) })),
      ["date", "dt", "order_id", "sid", "symbol", "amount", "price"],
    ),
  };
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
  if (ext === ".csv") writeFileSync(out, results.toCSV());
  else if (ext === ".arrow") {
    const { tableToIPC } = await import("apache-arrow");
    writeFileSync(out, tableToIPC(await results.toArrow(), "file"));
  } else await csvToParquet(results.toCSV(), out);
  const written = [out];
  for (const [name, text] of Object.entries(sideTables(results))) {
    const p = `${base}_${name}.csv`;
    writeFileSync(p, text);
    written.push(p);
  }
  return written;
}

/** Parquet through DuckDB's built-in writer, from the perf CSV. */
async function csvToParquet(csv: string, out: string): Promise<void> {
  const { openDb, sqlString } = await import("../../bundles/store/duckdb.ts");
  const tmp = `${out}.${Deno.pid}.tmp.csv`;
  writeFileSync(tmp, csv);
  const db = await openDb(":memory:");
  try {
    await db.conn.run(
      `COPY (SELECT * FROM read_csv(${sqlString(tmp)}, header = true)) TO ${
        sqlString(out)
      } (FORMAT parquet)`,
    );
  } finally {
    db.close();
    rmSync(tmp, { force: true });
  }
}
