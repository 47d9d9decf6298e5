/**
 * Checks on csvdir rows loaded into a staging table (`path, date, open, high, low, close, volume,
 * dividend, split`). Each check finds the first offending row and turns it into an `IngestError`
 * naming the file, its line and the column; `lenient` checks may instead drop the rows.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { IngestError } from "../errors.ts";
import { findDateLine } from "./csv_files.ts";

interface Check {
  /** SQL condition over the staging row `r` that marks it bad. */
  where: string;
  /** The column to name. */
  column: string;
  problem: string;
  /** Whether `--lenient` drops such rows instead of failing. */
  droppable: boolean;
}

/** Row checks in the order they are reported. */
export const ROW_CHECKS: readonly Check[] = [
  { where: "r.date IS NULL", column: "date", problem: "empty date", droppable: false },
  ...["open", "high", "low", "close"].map((c) => ({
    where: `r.${c} IS NULL OR isnan(r.${c})`,
    column: c,
    problem: "empty or NaN price",
    droppable: true,
  })),
  ...["open", "high", "low", "close"].map((c) => ({
    where: `r.${c} < 0`,
    column: c,
    problem: "negative price",
    droppable: true,
  })),
  { where: "r.volume < 0", column: "volume", problem: "negative volume", droppable: true },
  { where: "r.high < r.low", column: "high", problem: "high is below low", droppable: true },
  {
    where: "r.split IS NOT NULL AND r.split <= 0",
    column: "split",
    problem: "split must be > 0",
    droppable: false,
  },
  { where: "r.dividend < 0", column: "dividend", problem: "negative dividend", droppable: false },
];

async function firstRow(
  conn: DuckDBConnection,
  sql: string,
): Promise<Record<string, unknown> | undefined> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS()[0] as
    | Record<string, unknown>
    | undefined;
}

function isoOf(v: unknown): string {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

const isMidnight = (d: Date) => d.getTime() % 86_400_000 === 0;

/** An error at the row of `path` dated `date`, with its line looked up in the file. */
export function rowError(
  path: string,
  date: unknown,
  column: string,
  problem: string,
  more = 0,
): IngestError {
  const day = isoOf(date);
  const line = date instanceof Date ? findDateLine(path, date, isMidnight(date)) : undefined;
  const tail = more > 0
    ? ` (and ${more} more row${more === 1 ? "" : "s"} like it; --lenient drops such rows)`
    : "";
  return new IngestError(`${problem}${date ? ` on ${day}` : ""}${tail}`, {
    file: path,
    line,
    column,
  });
}

/**
 * Runs the row checks on `table`. With `lenient`, droppable problems are deleted and counted;
 * returns the number of dropped rows.
 */
export async function checkRows(
  conn: DuckDBConnection,
  table: string,
  lenient: boolean,
): Promise<number> {
  let dropped = 0;
  for (const c of ROW_CHECKS) {
    const bad = await firstRow(
      conn,
      `SELECT path, date, count(*) OVER () AS n FROM ${table} r WHERE ${c.where} LIMIT 1`,
    );
    if (!bad) continue;
    if (lenient && c.droppable) {
      const r = await firstRow(
        conn,
        `SELECT count(*)::INTEGER AS n FROM ${table} r WHERE ${c.where}`,
      );
      await conn.run(`DELETE FROM ${table} r WHERE ${c.where}`);
      dropped += Number(r?.n ?? 0);
      continue;
    }
    throw rowError(String(bad.path), bad.date, c.column, c.problem, Number(bad.n) - 1);
  }
  return dropped;
}

/** Fails on a date (daily) or minute given twice in one file. */
export async function checkDuplicates(
  conn: DuckDBConnection,
  table: string,
  daily: boolean,
): Promise<void> {
  const dup = await firstRow(
    conn,
    `SELECT path, date AS t FROM ${table} GROUP BY path, date HAVING count(*) > 1 ORDER BY path, t LIMIT 1`,
  );
  if (dup) {
    const when = dup.t instanceof Date ? dup.t.toISOString().replace(".000Z", "Z") : String(dup.t);
    const line = dup.t instanceof Date ? findDateLine(String(dup.path), dup.t, daily) : undefined;
    throw new IngestError(`${when} appears more than once`, {
      file: String(dup.path),
      line,
      column: "date",
    });
  }
}

/** Reports the first problem DuckDB's CSV reader rejected (unparseable values, short rows). */
export async function checkRejects(conn: DuckDBConnection): Promise<void> {
  const r = await firstRow(
    conn,
    `SELECT s.file_path AS path, e.line, e.column_name AS col, e.error_type AS kind, e.csv_line,
            e.error_message AS msg, count(*) OVER () AS n
     FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)
     ORDER BY s.file_path, e.line LIMIT 1`,
  );
  if (!r) return;
  const more = Number(r.n) - 1;
  const kind = String(r.kind);
  const value = /string "(.*)" to '(\w+)'/.exec(String(r.msg));
  const problem = kind === "CAST" && value
    ? `cannot read "${value[1]}" as ${value[2] === "DATE" ? "a date" : "a number"}`
    : kind === "MISSING COLUMNS" || kind === "TOO MANY COLUMNS"
    ? `${kind.toLowerCase()}: ${String(r.msg)}`
    : String(r.msg);
  throw new IngestError(
    `${problem}${more > 0 ? ` (${more} more problem${more === 1 ? "" : "s"} after it)` : ""}`,
    {
      file: String(r.path),
      line: Number(r.line),
      column: String(r.col),
    },
  );
}
