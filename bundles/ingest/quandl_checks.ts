/**
 * Checks on WIKI/PRICES rows staged in the temp table `wiki` (`ticker, date, open, high, low,
 * close, volume, ex_dividend, split_ratio`). Each finds the first bad row (by ticker, date) and
 * throws an `IngestError` naming its ticker, date and column. Missing prices are not errors: the
 * real table has rows with only a close, and they read back as NaN as in zipline.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { IngestError } from "../errors.ts";
import { firstFound, rowsOf } from "./first_found.ts";

interface Check {
  where: string;
  column: string;
  problem: string;
}

const CHECKS: readonly Check[] = [
  { where: "ticker IS NULL OR trim(ticker) = ''", column: "ticker", problem: "empty ticker" },
  { where: `"date" IS NULL`, column: "date", problem: "empty date" },
  ...["open", "high", "low", "close", "volume"].map((c) => ({
    where: `${c} < 0`,
    column: c,
    problem: `negative ${c}`,
  })),
  {
    where: "ex_dividend < 0 OR isnan(ex_dividend)",
    column: "ex-dividend",
    problem: "ex-dividend must be a number ≥ 0",
  },
  {
    where: "split_ratio <= 0 OR isnan(split_ratio)",
    column: "split_ratio",
    problem: "split_ratio must be a number > 0",
  },
];

async function firstRow(
  conn: DuckDBConnection,
  sql: string,
): Promise<Record<string, unknown> | undefined> {
  return (await rowsOf(conn, sql))[0];
}

const isoOf = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v));

function more(n: number, what: string): string {
  return n > 0 ? ` (and ${n} more ${what}${n === 1 ? "" : "s"})` : "";
}

/** The row (ticker, date) in words, for messages. */
function rowName(ticker: unknown, date: unknown): string {
  const t = ticker == null || ticker === "" ? "(no ticker)" : String(ticker);
  return `ticker ${t} on ${date == null || date === "" ? "(no date)" : isoOf(date)}`;
}

/** Values DuckDB's CSV reader could not read, with the ticker and date taken from the line. */
async function checkRejects(conn: DuckDBConnection, file: string, header: string[]) {
  const r = await firstFound(
    conn,
    `SELECT line, column_name AS col, error_type AS kind, csv_line, error_message AS msg
     FROM reject_errors`,
    "line",
  );
  if (!r) return;
  const fields = String(r.csv_line ?? "").split(",");
  const value = /string "(.*)" to '(\w+)'/.exec(String(r.msg));
  const problem = String(r.kind) === "CAST" && value
    ? `cannot read "${value[1]}" as ${value[2] === "DATE" ? "a date" : "a number"}`
    : String(r.msg).split("\n")[0];
  const row = rowName(fields[header.indexOf("ticker")], fields[header.indexOf("date")]);
  throw new IngestError(`${row}: ${problem}${more(Number(r.n) - 1, "problem")}`, {
    file,
    line: Number(r.line),
    column: String(r.col),
  });
}

/** Runs every check on `wiki`; `file` is the CSV's name inside the zip. */
export async function checkWikiRows(
  conn: DuckDBConnection,
  file: string,
  header: string[],
): Promise<void> {
  await checkRejects(conn, file, header);
  for (const c of CHECKS) {
    const bad = await firstFound(
      conn,
      `SELECT ticker, "date" FROM wiki WHERE ${c.where}`,
      `ticker, "date"`,
    );
    if (bad) {
      throw new IngestError(
        `${rowName(bad.ticker, bad.date)}: ${c.problem}${more(Number(bad.n) - 1, "row")}`,
        { file, column: c.column },
      );
    }
  }
  const dup = await firstRow(
    conn,
    `SELECT ticker, "date" FROM wiki GROUP BY ticker, "date" HAVING count(*) > 1
     ORDER BY ticker, "date" LIMIT 1`,
  );
  if (dup) {
    throw new IngestError(`${rowName(dup.ticker, dup.date)}: the row appears more than once`, {
      file,
      column: "date",
    });
  }
}
